import type { Job } from "@mcpmediaengine/contract";
import { createLog, hashApiKey } from "@mcpmediaengine/engine";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type RunningEngine, startEngine } from "../src/boot/start";
import { readEnv } from "../src/env";
import { startTestServer, type TestServer } from "./harness";
import { callTool } from "./mcp-client";

// Two API processes on one database, as behind a load balancer: A (the test server, which also runs the worker)
// and B, started beside it.
let a: TestServer;
let b: RunningEngine;
const clients: Client[] = [];
beforeAll(async () => {
  a = await startTestServer();
  b = await startApi();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => {})));
  await b.stop();
  await a.stop();
});

const PROTOCOL = "2025-11-25";

function startApi(env: Record<string, string> = {}): Promise<RunningEngine> {
  return startEngine(
    readEnv({
      DATABASE_URL: a.t.connectionString,
      PORT: "0",
      MME_DATA_DIR: a.dataDir,
      MME_DEV_MODELS: "1",
      ...env,
    }),
    "api",
    createLog("silent"),
  );
}

/** An SDK client whose requests go to the API processes the test names, in turn, whatever URL it was given. */
function clientOver(route: () => string): { client: Client; transport: StreamableHTTPClientTransport } {
  const transport = new StreamableHTTPClientTransport(new URL("http://replicas.invalid/mcp"), {
    requestInit: { headers: { authorization: `Bearer ${a.key}` } },
    fetch: (url, init) => fetch(`${route()}${new URL(url).pathname}`, init),
  });
  const client = new Client({ name: "replicas", version: "1.0.0" });
  clients.push(client);
  return { client, transport };
}

function raw(base: string, method: string, sessionId: string, body?: unknown): Promise<Response> {
  return fetch(`${base}/mcp`, {
    method,
    headers: {
      authorization: `Bearer ${a.key}`,
      accept: "application/json, text/event-stream",
      "content-type": "application/json",
      "mcp-session-id": sessionId,
      "mcp-protocol-version": PROTOCOL,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** A bare `initialize`: the new session's id. */
async function initialize(base: string, key: string): Promise<string> {
  const response = await fetch(`${base}/mcp`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${key}`,
      accept: "application/json, text/event-stream",
      "content-type": "application/json",
    },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: PROTOCOL, capabilities: {}, clientInfo: { name: "bare", version: "1" } },
    }),
  });
  expect(response.status).toBe(200);
  await response.text();
  return response.headers.get("mcp-session-id")!;
}

async function pingStatus(base: string, sessionId: string): Promise<number> {
  const response = await raw(base, "POST", sessionId, { jsonrpc: "2.0", id: 9, method: "ping" });
  await response.text();
  return response.status;
}

test("a session opened on A answers on B; every call after that may go to either", async () => {
  let next: string = a.url;
  const { client, transport } = clientOver(() => next);
  await client.connect(transport);
  const sessionId = transport.sessionId!;
  expect(sessionId).toBeTruthy();
  // B never saw the initialize: it builds the session from the row.
  expect(b.mcp!.size).toBe(0);
  next = b.url!;
  const submitted = await callTool(client, "generate_image", { prompt: "over there", model: "dev-noop" });
  expect(submitted.isError).toBeFalsy();
  const { jobId } = submitted.structuredContent as unknown as Job;
  expect(b.mcp!.size).toBe(1);
  next = a.url;
  const waited = await callTool(client, "wait_for_job", { jobId, timeoutSeconds: 20 });
  expect((waited.structuredContent as unknown as Job).status).toBe("completed");
  for (let i = 0; i < 6; i++) {
    next = i % 2 ? a.url : b.url!;
    const account = await callTool(client, "get_account");
    expect(account.isError).toBeFalsy();
  }
  expect(transport.sessionId).toBe(sessionId);
  expect(await b.mcp!.count()).toBeGreaterThanOrEqual(1);
});

test("DELETE on B closes the session on A too: A's open stream ends and its next request is 404", async () => {
  const sessionId = await initialize(a.url, a.key);
  // A's standalone stream for server-initiated messages, held open on A.
  const stream = await raw(a.url, "GET", sessionId);
  expect(stream.status).toBe(200);
  const streamEnded = stream.text();
  expect(await pingStatus(b.url!, sessionId)).toBe(200);

  const closed = await raw(b.url!, "DELETE", sessionId);
  expect(closed.status).toBe(200);
  await streamEnded; // ends only when A has closed its copy of the session
  expect(await pingStatus(a.url, sessionId)).toBe(404);
  expect(await pingStatus(b.url!, sessionId)).toBe(404);
  expect((await raw(a.url, "DELETE", sessionId)).status).toBe(404);
});

test("another account's key cannot use or close the session on any process", async () => {
  const { client, transport } = clientOver(() => a.url);
  await client.connect(transport);
  const sessionId = transport.sessionId!;
  const stranger = await a.newKey();
  for (const base of [a.url, b.url!]) {
    for (const method of ["POST", "DELETE"]) {
      const response = await fetch(`${base}/mcp`, {
        method,
        headers: {
          authorization: `Bearer ${stranger}`,
          accept: "application/json, text/event-stream",
          "content-type": "application/json",
          "mcp-session-id": sessionId,
        },
        body: method === "POST" ? JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }) : undefined,
      });
      expect(response.status).toBe(404);
    }
  }
  expect(await pingStatus(b.url!, sessionId)).toBe(200);
});

test("a key's session cap counts the sessions of every process", async () => {
  const key = await a.newKey();
  // C caps each key at 2; sessions opened on A count toward it.
  const c = await startApi({ MME_MCP_MAX_SESSIONS_PER_KEY: "2" });
  try {
    const first = await initialize(a.url, key);
    const second = await initialize(b.url!, key);
    await initialize(c.url!, key);
    expect(await c.mcp!.count(await keyIdOf(key))).toBe(2);
    const ping = async (id: string) => {
      const response = await fetch(`${c.url}/mcp`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${key}`,
          accept: "application/json, text/event-stream",
          "content-type": "application/json",
          "mcp-session-id": id,
        },
        body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "ping" }),
      });
      await response.text();
      return response.status;
    };
    expect(await ping(first)).toBe(404);
    expect(await ping(second)).toBe(200);
  } finally {
    await c.stop();
  }
});

test("a session holding a stream open on A is busy for B's cap: B closes the key's idle session instead", async () => {
  const key = await a.newKey();
  const c = await startApi({ MME_MCP_MAX_SESSIONS_PER_KEY: "2" });
  const abort = new AbortController();
  try {
    const busy = await initialize(a.url, key);
    const idle = await initialize(a.url, key);
    // The older one holds its standalone stream open on A.
    const stream = await fetch(`${a.url}/mcp`, {
      headers: {
        authorization: `Bearer ${key}`,
        accept: "text/event-stream",
        "mcp-session-id": busy,
        "mcp-protocol-version": PROTOCOL,
      },
      signal: abort.signal,
    });
    expect(stream.status).toBe(200);
    const statusOn = async (base: string, id: string) => {
      const response = await fetch(`${base}/mcp`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${key}`,
          accept: "application/json, text/event-stream",
          "content-type": "application/json",
          "mcp-session-id": id,
        },
        body: JSON.stringify({ jsonrpc: "2.0", id: 3, method: "ping" }),
      });
      await response.text();
      return response.status;
    };
    // The idle one used last: by use alone, the busy one would be the one to go.
    expect(await statusOn(a.url, idle)).toBe(200);
    const newest = await initialize(c.url!, key);
    expect(await statusOn(c.url!, idle)).toBe(404);
    expect(await statusOn(c.url!, busy)).toBe(200);
    expect(await statusOn(a.url, newest)).toBe(200);
  } finally {
    abort.abort();
    await c.stop();
  }
});

test("an API process that stops leaves its sessions open: the client goes on with the other", async () => {
  const d = await startApi();
  let next = d.url!;
  const { client, transport } = clientOver(() => next);
  await client.connect(transport);
  const sessionId = transport.sessionId!;
  expect((await callTool(client, "get_account")).isError).toBeFalsy();
  expect(d.mcp!.size).toBe(1);
  await d.stop();
  next = b.url!;
  expect((await callTool(client, "get_account")).isError).toBeFalsy();
  expect(transport.sessionId).toBe(sessionId);
});

async function keyIdOf(key: string): Promise<string> {
  const { rows } = await a.t.pool.query<{ id: string }>("select id from api_keys where key_hash = $1", [
    hashApiKey(key),
  ]);
  if (rows[0]) return rows[0].id;
  throw new Error("no such key");
}
