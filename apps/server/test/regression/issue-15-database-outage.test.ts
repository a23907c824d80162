import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Job } from "@mcpmediaengine/contract";
import { type EmbeddedPostgresHandle, startEmbeddedPostgres } from "@mcpmediaengine/db";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, expect, test } from "vitest";
import { type CliProcess, runCli } from "../cli";
import { callTool } from "../mcp-client";

// Issue 15, defect 2: a database outage of any length must not end an engine process. While the database is away
// every transport answers 503 service_unavailable with Retry-After; a job running through the outage ends after it;
// the log says "lost" once and "back" once. Each test owns its Postgres, so it can stop and kill it.

const KEY = "mme_sk_test_outage_key_00000001";
const folders: string[] = [];
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** A folder the postgres user can enter (mkdtemp's are 0700). */
function folder(name: string): string {
  const dir = join(tmpdir(), `mme-${name}-${process.pid}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  folders.push(dir);
  return dir;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function startCli(env: Record<string, string>): Promise<{ cli: CliProcess; url: string }> {
  const cli = runCli(["start"], {
    PORT: "0",
    MME_DEV_MODELS: "1",
    MME_BOOTSTRAP_API_KEY: KEY,
    MME_LOG_LEVEL: "info",
    MME_WORKER_HEARTBEAT_MS: "500",
    ...env,
  });
  cleanups.push(async () => {
    if (cli.child.exitCode === null) cli.child.kill("SIGKILL");
    await cli.exited;
  });
  await cli.waitFor(/listening on/, 120_000);
  const url = /listening on (http:\/\/[\d.:]+)/.exec(cli.stdout())![1]!;
  return { cli, url };
}

const api = (url: string, path: string, init: RequestInit = {}) =>
  fetch(`${url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json", ...init.headers },
  });

async function submit(url: string, prompt: string, model: string): Promise<string> {
  const response = await api(url, "/v1/jobs", {
    method: "POST",
    body: JSON.stringify({ type: "image", model, prompt }),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as Job).jobId;
}

async function jobStatus(url: string, jobId: string): Promise<string> {
  const response = await api(url, `/v1/jobs/${jobId}`);
  return response.status === 200 ? ((await response.json()) as Job).status : `http ${response.status}`;
}

const count = (text: string, pattern: RegExp) => text.match(new RegExp(pattern, "g"))?.length ?? 0;

test("DATABASE_URL: the process rides out an outage, answers 503 with Retry-After meanwhile, and the running job ends after it", async () => {
  const pgDir = folder("outage-pg");
  const port = await freePort();
  let postgres: EmbeddedPostgresHandle = await startEmbeddedPostgres({ dataDir: pgDir, port });
  cleanups.push(() => postgres.stop());
  const dataDir = folder("outage-data");
  const { cli, url } = await startCli({ DATABASE_URL: postgres.connectionString, MME_DATA_DIR: dataDir });

  // The job's file lands in the store when its generator is done, before the write that completes the job.
  const fileWritten = () =>
    readdirSync(dataDir, { recursive: true }).some((f) => /[0-9a-f]{64}$/.test(String(f)));
  const jobId = await submit(url, "sleep 5000", "dev-sleep");
  const login = await fetch(`${url}/auth/login`, { method: "POST", body: JSON.stringify({ apiKey: KEY }) });
  const cookie = /^mme_session=[^;]+/.exec(login.headers.get("set-cookie") ?? "")![0];
  await expect.poll(() => jobStatus(url, jobId), { timeout: 60_000 }).toBe("processing");
  await postgres.stop();
  expect(fileWritten()).toBe(false); // still running: it runs through the outage

  // REST: the contract's envelope, 503, Retry-After.
  const rest = await api(url, `/v1/jobs/${jobId}`);
  expect(rest.status).toBe(503);
  expect(rest.headers.get("retry-after")).toBe("5");
  const body = (await rest.json()) as { error: { code: string; requestId: string; message: string } };
  expect(body.error.code).toBe("service_unavailable");
  expect(body.error.requestId).toMatch(/^req_/);
  // A request that writes is refused the same way, and nothing is half-written (checked below: one job only).
  const create = await api(url, "/v1/jobs", {
    method: "POST",
    body: JSON.stringify({ type: "image", model: "dev-noop", prompt: "during" }),
  });
  expect(create.status).toBe(503);
  // tRPC: its own error shape, carrying the same code.
  const trpc = await api(url, `/trpc/jobs.get?input=${encodeURIComponent(JSON.stringify({ jobId }))}`);
  expect(trpc.status).toBe(503);
  expect(trpc.headers.get("retry-after")).toBe("5");
  expect(JSON.stringify(await trpc.json())).toContain('"code":"service_unavailable"');
  // MCP over HTTP: the key cannot be checked, so the HTTP answer itself is 503.
  const mcp = await api(url, "/mcp", {
    method: "POST",
    headers: { accept: "application/json, text/event-stream" },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } },
    }),
  });
  expect(mcp.status).toBe(503);
  expect(mcp.headers.get("retry-after")).toBe("5");
  // A browser session cannot be checked either: 503 on REST and on the session endpoint, never 401.
  const bySession = await fetch(`${url}/v1/jobs/${jobId}`, { headers: { cookie } });
  expect(bySession.status).toBe(503);
  expect((await fetch(`${url}/auth/session`, { headers: { cookie } })).status).toBe(503);
  // Liveness does not need the database; health says what is wrong.
  expect((await fetch(`${url}/healthz`)).status).toBe(503);

  // The generator finishes while the database is away; the job cannot be completed yet.
  await expect.poll(fileWritten, { timeout: 60_000 }).toBe(true);
  expect(cli.child.exitCode).toBeNull();

  postgres = await startEmbeddedPostgres({ dataDir: pgDir, port });
  await expect.poll(() => jobStatus(url, jobId), { timeout: 120_000, interval: 250 }).toBe("completed");
  const listed = (await (await api(url, "/v1/jobs?limit=10")).json()) as { data: Job[] };
  expect(listed.data.map((j) => j.jobId)).toEqual([jobId]);

  // The completing write retries on its own and may land before the process's watch has looked again.
  await cli.waitFor(/database is back/, 60_000);
  const stderr = cli.stderr();
  expect(count(stderr, /database lost/)).toBe(1);
  expect(count(stderr, /database is back/)).toBe(1);
  expect(stderr).not.toMatch(/\n\s+at /); // no stack traces
  expect(stderr).not.toMatch(/Z error /); // nothing but the two lines: no flood of failed polls and writes
  cli.child.kill("SIGTERM");
  expect((await cli.exited).code).toBe(0);
}, 300_000);

test("embedded Postgres killed with SIGKILL under a running engine is started again, and the engine serves on", async () => {
  const dataDir = folder("outage-embedded");
  const { cli, url } = await startCli({ MME_DATA_DIR: dataDir });
  const postmaster = Number(readFileSync(join(dataDir, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
  process.kill(postmaster, "SIGKILL");

  await cli.waitFor(/embedded Postgres exited unexpectedly \(SIGKILL\)/, 60_000);
  await cli.waitFor(/embedded Postgres is running again/, 120_000);
  const restarted = Number(readFileSync(join(dataDir, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
  expect(restarted).not.toBe(postmaster);
  await expect.poll(async () => (await api(url, "/v1/jobs")).status, { timeout: 120_000 }).toBe(200);
  const jobId = await submit(url, "after", "dev-noop");
  await expect.poll(() => jobStatus(url, jobId), { timeout: 120_000, interval: 250 }).toBe("completed");

  await cli.waitFor(/database is back/, 60_000);
  expect(count(cli.stderr(), /database lost/)).toBe(1);
  expect(count(cli.stderr(), /database is back/)).toBe(1);
  expect(cli.stderr()).not.toMatch(/\n\s+at /);
  cli.child.kill("SIGTERM");
  expect((await cli.exited).code).toBe(0);
  // The engine stopped the Postgres it restarted.
  expect(() => process.kill(restarted, 0)).toThrow();
}, 300_000);

test("MCP over stdio: a tool called while the database is away answers isError service_unavailable; after it, it works", async () => {
  const pgDir = folder("outage-stdio-pg");
  const port = await freePort();
  let postgres: EmbeddedPostgresHandle = await startEmbeddedPostgres({ dataDir: pgDir, port });
  cleanups.push(() => postgres.stop());
  let stderr = "";
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [join(import.meta.dirname, "../../bin/mcp-media-engine.mjs")],
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/root",
      DATABASE_URL: postgres.connectionString,
      MME_DATA_DIR: folder("outage-stdio-data"),
    },
    stderr: "pipe",
  });
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = new Client({ name: "outage", version: "1.0.0" });
  await client.connect(transport);
  cleanups.push(() => client.close());
  expect((await callTool(client, "get_account")).isError).toBeFalsy();

  await postgres.stop();
  const refused = await callTool(client, "get_account");
  expect(refused.isError).toBe(true);
  const text = (refused.content[0] as { text: string }).text;
  expect(JSON.parse(text)).toMatchObject({
    error: { code: "service_unavailable", details: { retryAfterSeconds: 5 } },
  });

  postgres = await startEmbeddedPostgres({ dataDir: pgDir, port });
  await expect
    .poll(async () => (await callTool(client, "get_account")).isError ?? false, { timeout: 60_000 })
    .toBe(false);
  expect(count(stderr, /database lost/)).toBe(1);
}, 300_000);

test("SIGTERM while the database is away: the process still stops in order, exit code 0, no stack trace", async () => {
  const pgDir = folder("outage-stop-pg");
  const postgres = await startEmbeddedPostgres({ dataDir: pgDir, port: await freePort() });
  cleanups.push(() => postgres.stop());
  const { cli } = await startCli({
    DATABASE_URL: postgres.connectionString,
    MME_DATA_DIR: folder("outage-stop"),
  });
  await postgres.stop();
  await cli.waitFor(/database lost/, 60_000);
  cli.child.kill("SIGTERM");
  expect((await cli.exited).code).toBe(0);
  expect(cli.stderr()).toMatch(/stopped while the database was away/);
  expect(cli.stderr()).not.toMatch(/\n\s+at /);
}, 120_000);
