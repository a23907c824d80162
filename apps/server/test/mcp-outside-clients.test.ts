import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { Job } from "@mcpmediaengine/contract";
import { Client as ModernClient } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestServer, type TestServer } from "./harness";
import { pngSize } from "./mcp-client";

// Clients from outside, for both protocol revisions: the 2.x SDK's own client over stdio, and the MCP Inspector's
// CLI over HTTP and stdio in each era. (The 1.x SDK client is in mcp-http.test.ts and mcp-stdio.test.ts, the
// 2.x one over HTTP in mcp-modern.test.ts.) Over stdio the bin serves the test server's engine as its key
// (MME_API_URL), so no second engine starts.

const BIN = resolve(import.meta.dirname, "../bin/mcp-media-engine.mjs");
const require = createRequire(import.meta.url);
const INSPECTOR = join(
  dirname(require.resolve("@modelcontextprotocol/inspector/package.json")),
  "clients/launcher/build/index.js",
);

let server: TestServer;
const closers: (() => Promise<void>)[] = [];
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
  await server.stop();
});

const stdioEnv = () => ({
  PATH: process.env.PATH ?? "",
  HOME: process.env.HOME ?? "/root",
  MME_API_URL: server.url,
  MME_API_KEY: server.key,
});

test("the 2.x SDK client pinned to 2026-07-28 over stdio: generate, wait, read the asset", async () => {
  const client = new ModernClient(
    { name: "modern-stdio", version: "1.0.0" },
    { versionNegotiation: { mode: { pin: "2026-07-28" } } },
  );
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN], env: stdioEnv() }));
  closers.push(() => client.close());
  expect(client.getProtocolEra()).toBe("modern");
  expect((await client.listTools()).tools.map((t) => t.name)).toContain("wait_for_job");
  const submitted = await client.callTool({
    name: "generate_image",
    arguments: { prompt: "A stdio lighthouse", preset: "blog_thumbnail" },
  });
  const { jobId } = submitted.structuredContent as unknown as Job;
  let job = submitted.structuredContent as unknown as Job;
  for (let i = 0; i < 20 && !["completed", "failed", "canceled"].includes(job.status); i++) {
    const waited = await client.callTool({ name: "wait_for_job", arguments: { jobId, timeoutSeconds: 5 } });
    job = waited.structuredContent as unknown as Job;
  }
  expect(job.status).toBe("completed");
  const read = await client.readResource({ uri: `asset://${job.result!.assets[0]!.assetId}` });
  const png = Buffer.from((read.contents[0] as { blob: string }).blob, "base64");
  expect(pngSize(png)).toEqual({ width: 1200, height: 630 });
});

/** The Inspector's CLI, one method, its JSON answer. */
function inspector(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const catalog = join(mkdtempSync(join(tmpdir(), "mme-inspector-")), "mcp.json");
  return new Promise((done) => {
    execFile(
      process.execPath,
      [INSPECTOR, "--cli", "--format", "json", "-q", ...args],
      { env: { ...process.env, MCP_CATALOG_PATH: catalog }, timeout: 120_000 },
      (error, out, err) => done({ code: error ? Number(error.code ?? 1) : 0, out, err }),
    );
  });
}

const targets = {
  http: () => ["--server-url", `${server.url}/mcp`, "--header", `Authorization: Bearer ${server.key}`],
  stdio: () => [
    ...Object.entries(stdioEnv()).flatMap(([k, v]) => ["-e", `${k}=${v}`]),
    "--",
    process.execPath,
    BIN,
  ],
};

test.each([
  ["legacy", "http"],
  ["modern", "http"],
  ["legacy", "stdio"],
  ["modern", "stdio"],
] as const)(
  "the MCP Inspector CLI (%s era, over %s) lists the tools and calls one",
  async (era, transport) => {
    const target = targets[transport]();
    // With stdio the command comes last, after "--".
    const withTarget = (method: string[]) =>
      transport === "stdio"
        ? [...method, "--protocol-era", era, ...target]
        : [...target, "--protocol-era", era, ...method];
    const listed = await inspector(withTarget(["--method", "tools/list"]));
    expect(listed.code, listed.err).toBe(0);
    const tools = JSON.parse(listed.out) as { result: { tools: { name: string; execution?: object }[] } };
    expect(tools.result.tools.map((t) => t.name)).toEqual(
      expect.arrayContaining(["generate_image", "list_jobs"]),
    );
    // The era reached the server: 2025-11-25 tool lists carry that revision's Tasks field, 2026-07-28 ones do not.
    const generate = tools.result.tools.find((t) => t.name === "generate_image")!;
    if (era === "legacy") expect(generate.execution).toEqual({ taskSupport: "optional" });
    else expect(generate.execution).toBeUndefined();
    const called = await inspector(withTarget(["--method", "tools/call", "--tool-name", "get_account"]));
    expect(called.code, called.err).toBe(0);
    expect(JSON.parse(called.out)).toMatchObject({ result: { structuredContent: { plan: "enterprise" } } });
  },
);
