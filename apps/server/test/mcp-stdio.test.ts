import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Job } from "@mcpmediaengine/contract";
import { createTestDatabase, type TestDatabase } from "@mcpmediaengine/testing";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { ReadResourceResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestServer } from "./harness";
import { callTool, generateAndWait, pngSize } from "./mcp-client";

const BIN = resolve(import.meta.dirname, "../bin/mcp-media-engine.mjs");

let t: TestDatabase;
let client: Client;
let stdoutCopy: string;
let stderr = "";
beforeAll(async () => {
  t = await createTestDatabase();
  const dir = mkdtempSync(join(tmpdir(), "mme-stdio-"));
  stdoutCopy = join(dir, "stdout.jsonl");
  // The bin with no command, as a desktop host starts it; tee keeps a copy of everything it writes to stdout.
  const transport = new StdioClientTransport({
    command: "sh",
    args: ["-c", `exec "${process.execPath}" "${BIN}" | tee "${stdoutCopy}"`],
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/root",
      DATABASE_URL: t.connectionString,
      MME_DATA_DIR: join(dir, "data"),
      MME_DEV_MODELS: "1",
      MME_LOG_LEVEL: "debug",
    },
    stderr: "pipe",
  });
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  client = new Client({ name: "stdio-test", version: "1.0.0" });
  await client.connect(transport);
}, 60_000);
afterAll(async () => {
  await client?.close();
  await t?.drop();
});

test("the blog-hero use case over stdio, with the engine in the bin's own process", async () => {
  const { job, waited } = await generateAndWait(client, {
    prompt: "How we cut our build times in half",
    preset: "blog_thumbnail",
  });
  expect(job.status).toBe("completed");
  const link = waited.content.find((c) => c.type === "resource_link") as { uri: string };
  const read = (await client.readResource({ uri: link.uri })) as ReadResourceResult;
  const png = Buffer.from((read.contents[0] as { blob: string }).blob, "base64");
  expect(pngSize(png)).toEqual({ width: 1200, height: 630 });
  // The signed URL is served by the same process, on a loopback port of its own.
  const download = await fetch(job.result!.assets[0]!.url);
  expect(download.status).toBe(200);
  expect(Buffer.from(await download.arrayBuffer()).equals(png)).toBe(true);

  const status = await callTool(client, "get_job_status", { jobId: job.jobId });
  expect((status.structuredContent as unknown as Job).status).toBe("completed");
  const account = await callTool(client, "get_account");
  expect(account.structuredContent).toMatchObject({ plan: "enterprise" });
});

test("stdout carries nothing but JSON-RPC; the logs went to stderr", async () => {
  await callTool(client, "list_jobs", { limit: 5 });
  const lines = readFileSync(stdoutCopy, "utf8")
    .split("\n")
    .filter((l) => l.length > 0);
  expect(lines.length).toBeGreaterThan(5);
  for (const line of lines) {
    const message = JSON.parse(line) as { jsonrpc?: string };
    expect(message.jsonrpc).toBe("2.0");
  }
  expect(stderr).toMatch(/MCP on stdio/);
});

test("with MME_API_URL and MME_API_KEY the bin runs no engine: it serves MCP for the remote engine, as that key", async () => {
  const remote = await startTestServer();
  const otherKey = await remote.newKey();
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN],
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/root",
      MME_API_URL: remote.url,
      MME_API_KEY: remote.key,
    },
    stderr: "pipe",
  });
  const remoteClient = new Client({ name: "remote-test", version: "1.0.0" });
  try {
    await remoteClient.connect(transport);
    const { job, waited } = await generateAndWait(remoteClient, {
      prompt: "Remote hero",
      preset: "blog_thumbnail",
    });
    expect(job.status).toBe("completed");
    // The job is the remote engine's, seen through its REST API.
    expect(((await (await remote.api(`/v1/jobs/${job.jobId}`)).json()) as Job).status).toBe("completed");
    const link = waited.content.find((c) => c.type === "resource_link") as { uri: string };
    const read = (await remoteClient.readResource({ uri: link.uri })) as ReadResourceResult;
    expect(pngSize(Buffer.from((read.contents[0] as { blob: string }).blob, "base64"))).toEqual({
      width: 1200,
      height: 630,
    });
    // Another account's key cannot see it.
    const seen = await remote.api(`/v1/jobs/${job.jobId}`, { key: otherKey });
    expect(seen.status).toBe(404);
    const refused = await callTool(remoteClient, "generate_image", { prompt: "x", width: 50_000 });
    expect(refused.isError).toBe(true);
  } finally {
    await remoteClient.close();
    await remote.stop();
  }
});

test("the Claude Desktop example config, as a host runs it, starts a server that answers", async () => {
  const example = JSON.parse(
    readFileSync(
      resolve(import.meta.dirname, "../../../examples/claude-desktop/claude_desktop_config.local.json"),
      "utf8",
    ),
  ) as { mcpServers: Record<string, { command: string; args: string[] }> };
  const { command, args } = example.mcpServers["media-engine"]!;
  const db = await createTestDatabase();
  const hosted = new Client({ name: "desktop", version: "1.0.0" });
  try {
    await hosted.connect(
      new StdioClientTransport({
        command,
        args,
        cwd: resolve(import.meta.dirname, "../../.."),
        env: {
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? "/root",
          DATABASE_URL: db.connectionString,
          MME_DATA_DIR: mkdtempSync(join(tmpdir(), "mme-desktop-")),
        },
        stderr: "pipe",
      }),
    );
    const account = await callTool(hosted, "get_account");
    expect(account.structuredContent).toMatchObject({ plan: "enterprise", balance: 1_000_000 });
  } finally {
    await hosted.close();
    await db.drop();
  }
}, 60_000);
