import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Job } from "@mcpmediaengine/contract";
import { afterAll, expect, test } from "vitest";
import { stablePortFile } from "../src/boot/stable-port";

// MCP on stdio as a desktop host starts it, on an empty data folder (embedded Postgres: initdb, migrations, the
// worker). The host's first request (`initialize`, or `server/discover` for a 2026-07-28 client) is answered
// before the engine is ready (an order, not a time: the engine reports ready on stderr), tools wait for the
// engine, and the asset URLs still open after the host restarts it.

const BIN = resolve(import.meta.dirname, "../bin/mcp-media-engine.mjs");

/** An empty data folder, under /tmp (not a 0700 folder): the embedded Postgres runs as its own user. */
function emptyDataDir(): string {
  const parent = mkdtempSync("/tmp/mme-stdio-start-");
  chmodSync(parent, 0o755);
  return join(parent, "data");
}
const dataDir = emptyDataDir();
const READY = /MCP on stdio; engine data in/;

interface Host {
  child: ChildProcessWithoutNullStreams;
  /** stdout's messages and stderr's ready line, in the order they arrived. */
  events: string[];
  call(method: string, params?: object): Promise<{ result?: Record<string, unknown>; error?: unknown }>;
  exited: Promise<number | null>;
}

let nextId = 1;
const hosts: Host[] = [];

function startHost(folder = dataDir): Host {
  const child = spawn(process.execPath, [BIN], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/root", MME_DATA_DIR: folder },
  });
  const events: string[] = [];
  const waiting = new Map<number, (message: never) => void>();
  let buffer = "";
  child.stdout.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    for (let end = buffer.indexOf("\n"); end >= 0; end = buffer.indexOf("\n")) {
      const message = JSON.parse(buffer.slice(0, end)) as { id?: number };
      buffer = buffer.slice(end + 1);
      events.push(`answer ${message.id}`);
      if (message.id !== undefined) waiting.get(message.id)?.(message as never);
    }
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    if (READY.test(stderr) && !events.includes("ready")) events.push("ready");
  });
  const exited = new Promise<number | null>((resolveExit) => child.once("exit", (code) => resolveExit(code)));
  const host: Host = {
    child,
    events,
    call(method, params) {
      const id = nextId++;
      const answer = new Promise<never>((resolveAnswer, reject) => {
        waiting.set(id, resolveAnswer);
        void exited.then((code) =>
          reject(new Error(`the server exited (${code}) before answering: ${stderr}`)),
        );
      });
      child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id, method, ...(params && { params }) })}\n`);
      return answer;
    },
    exited,
  };
  hosts.push(host);
  return host;
}

async function initialize(host: Host) {
  const answer = await host.call("initialize", {
    protocolVersion: "2025-11-25",
    capabilities: {},
    clientInfo: { name: "startup-test", version: "1.0.0" },
  });
  host.child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" })}\n`);
  return answer;
}

async function tool(host: Host, name: string, args: object = {}) {
  const answer = await host.call("tools/call", { name, arguments: args });
  return answer.result as { structuredContent: unknown; isError?: boolean };
}

afterAll(async () => {
  for (const host of hosts) if (host.child.exitCode === null) host.child.kill("SIGTERM");
  await Promise.all(hosts.map((h) => h.exited));
});

test("initialize is answered before the engine is ready; the asset URLs outlive a restart", async () => {
  const first = startHost();
  const answer = await initialize(first);
  expect(answer.result).toMatchObject({
    serverInfo: { name: "mcp-media-engine" },
    protocolVersion: "2025-11-25",
  });
  expect(first.events[0]).toBe(`answer 1`);
  expect(first.events).not.toContain("ready");

  // A tool waits for the engine, then works.
  const submitted = await tool(first, "generate_image", { prompt: "A first start", seed: 3 });
  expect(submitted.isError).toBeFalsy();
  expect(first.events).toContain("ready");
  const { jobId } = submitted.structuredContent as Job;
  let job: Job;
  do job = (await tool(first, "wait_for_job", { jobId, timeoutSeconds: 10 })).structuredContent as Job;
  while (job.status !== "completed" && job.status !== "failed");
  expect(job.status).toBe("completed");
  const url = job.result!.assets[0]!.url;
  const before = Buffer.from(await (await fetch(url)).arrayBuffer());
  expect(before.length).toBeGreaterThan(0);
  const port = Number(readFileSync(stablePortFile(dataDir), "utf8"));
  expect(new URL(url).port).toBe(String(port));

  // The host restarts the server (stdin closed, a new process on the same folder): the old URL opens again.
  first.child.stdin.end();
  expect(await first.exited).toBe(0);
  const second = startHost();
  await initialize(second);
  expect(second.events[0]).toBe(`answer ${nextId - 1}`);
  const listed = await tool(second, "list_jobs", { limit: 5 });
  expect((listed.structuredContent as { data: Job[] }).data.map((j) => j.jobId)).toContain(jobId);
  const after = await fetch(url);
  expect(after.status).toBe(200);
  expect(Buffer.from(await after.arrayBuffer()).equals(before)).toBe(true);
  second.child.stdin.end();
  expect(await second.exited).toBe(0);
}, 240_000);

/** The `_meta` envelope a 2026-07-28 client puts on every request. */
const ENVELOPE = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientInfo": { name: "startup-test", version: "1.0.0" },
  "io.modelcontextprotocol/clientCapabilities": {},
};

test("a 2026-07-28 client's server/discover is answered before the engine is ready, once; tools wait", async () => {
  const host = startHost(emptyDataDir());
  const discoverId = nextId;
  const discovered = await host.call("server/discover", { _meta: ENVELOPE });
  expect(discovered.result).toMatchObject({
    supportedVersions: ["2026-07-28"],
    _meta: { "io.modelcontextprotocol/serverInfo": { name: "mcp-media-engine" } },
  });
  expect(host.events[0]).toBe(`answer ${discoverId}`);
  expect(host.events).not.toContain("ready");

  // A tool waits for the engine, then works, on the connection the front opened.
  const listed = await host.call("tools/call", {
    name: "list_jobs",
    arguments: { limit: 1 },
    _meta: ENVELOPE,
  });
  expect(listed.result).toMatchObject({ structuredContent: { data: [] } });
  expect(host.events).toContain("ready");
  // The real server answered the replayed discover too; only the front's answer reached the host.
  expect(host.events.filter((event) => event === `answer ${discoverId}`)).toHaveLength(1);
  host.child.stdin.end();
  expect(await host.exited).toBe(0);
}, 240_000);
