import { createLog } from "@mcpmediaengine/engine";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type RunningEngine, startEngine } from "../src/boot/start";
import { readEnv } from "../src/env";
import { startTestServer, type TestServer } from "./harness";

// Issue 15: MCP sessions were unbounded (3,000 initialize calls kept 237 MB for 30 minutes). Here a process with
// small caps: 3 sessions per key, 5 in all, counted (since issue 17) over every API process on the database.
const PER_KEY = 3;
const IN_ALL = 5;

let server: TestServer;
let capped: RunningEngine;
beforeAll(async () => {
  server = await startTestServer({ role: "api" });
  capped = await startEngine(
    readEnv({
      DATABASE_URL: server.t.connectionString,
      PORT: "0",
      MME_DATA_DIR: server.dataDir,
      MME_MCP_MAX_SESSIONS: String(IN_ALL),
      MME_MCP_MAX_SESSIONS_PER_KEY: String(PER_KEY),
    }),
    "api",
    createLog("silent"),
  );
});
afterAll(async () => {
  await capped.stop();
  await server.stop();
});

const PROTOCOL = "2025-11-25";

function post(key: string, body: unknown, sessionId?: string): Promise<Response> {
  return fetch(`${capped.url}/mcp`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${key}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...(sessionId && { "mcp-session-id": sessionId, "mcp-protocol-version": PROTOCOL }),
    },
    body: JSON.stringify(body),
  });
}

/** A bare `initialize`, as a flood sends it: the new session's id. */
async function initialize(key: string): Promise<string> {
  const response = await post(key, {
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: { protocolVersion: PROTOCOL, capabilities: {}, clientInfo: { name: "flood", version: "1" } },
  });
  expect(response.status).toBe(200);
  await response.text();
  return response.headers.get("mcp-session-id")!;
}

/** The status a ping on the session gets: 200 while it lives, 404 once it has been closed. */
async function ping(key: string, sessionId: string): Promise<number> {
  const response = await post(key, { jsonrpc: "2.0", id: 2, method: "ping" }, sessionId);
  await response.text();
  return response.status;
}

// Sessions open, as the table counts them for every API process on the database.
const live = () => capped.mcp!.count();

test("a flood of initialize from one key keeps at most its cap; the oldest idle sessions are the ones closed", async () => {
  const key = await server.newKey();
  const ids: string[] = [];
  for (let i = 0; i < 12; i++) {
    ids.push(await initialize(key));
    expect(await live()).toBeLessThanOrEqual(PER_KEY);
  }
  // Pinged newest first, so the pings themselves change nothing about which were oldest.
  const statuses: number[] = [];
  for (const id of [...ids].reverse()) statuses.unshift(await ping(key, id));
  expect(statuses).toEqual([...Array(12 - PER_KEY).fill(404), ...Array(PER_KEY).fill(200)]);
});

test("concurrent floods from several keys never hold more than the caps", async () => {
  const keys = await Promise.all([server.newKey(), server.newKey(), server.newKey()]);
  let most = 0;
  await Promise.all(
    keys.flatMap((key) =>
      Array.from({ length: 15 }, async () => {
        await initialize(key);
        most = Math.max(most, await live());
      }),
    ),
  );
  expect(most).toBeLessThanOrEqual(IN_ALL);
  expect(await live()).toBe(IN_ALL);
});

test("a session in use (an open stream) is not closed while an idle one of the key can be", async () => {
  const key = await server.newKey();
  const busy = await initialize(key);
  // The standalone SSE stream a connected client keeps open: the session is busy while it lasts.
  const abort = new AbortController();
  const stream = await fetch(`${capped.url}/mcp`, {
    headers: {
      authorization: `Bearer ${key}`,
      accept: "text/event-stream",
      "mcp-session-id": busy,
      "mcp-protocol-version": PROTOCOL,
    },
    signal: abort.signal,
  });
  expect(stream.status).toBe(200);
  try {
    const idle = [await initialize(key), await initialize(key)];
    // Over the key's cap: the oldest session is the busy one, but the oldest idle one goes.
    const newest = await initialize(key);
    expect(await ping(key, idle[0]!)).toBe(404);
    expect(await ping(key, busy)).toBe(200);
    expect(await ping(key, idle[1]!)).toBe(200);
    expect(await ping(key, newest)).toBe(200);
    expect(capped.mcp!.busy).toBe(1);
  } finally {
    abort.abort();
  }
  // Once its stream is gone the session is idle again, and the least recently used: the next to go.
  await expect.poll(() => capped.mcp!.busy, { timeout: 30_000 }).toBe(0);
  await initialize(key);
  expect(await ping(key, busy)).toBe(404);
});

test("a session of the flood's key is closed before another key's in-use session under the global cap", async () => {
  // A working client on one key, with its stream open, and a flood on another.
  const worker = await server.newKey();
  const session = await initialize(worker);
  const abort = new AbortController();
  const stream = await fetch(`${capped.url}/mcp`, {
    headers: {
      authorization: `Bearer ${worker}`,
      accept: "text/event-stream",
      "mcp-session-id": session,
      "mcp-protocol-version": PROTOCOL,
    },
    signal: abort.signal,
  });
  expect(stream.status).toBe(200);
  try {
    const flooders = await Promise.all([server.newKey(), server.newKey()]);
    for (let i = 0; i < 20; i++) await initialize(flooders[i % 2]!);
    expect(await live()).toBeLessThanOrEqual(IN_ALL);
    expect(await ping(worker, session)).toBe(200);
  } finally {
    abort.abort();
  }
});
