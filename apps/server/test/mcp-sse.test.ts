import type { Account } from "@mcpmediaengine/contract";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestServer, type TestServer } from "./harness";
import { callTool, generateAndWait } from "./mcp-client";

let server: TestServer;
const clients: Client[] = [];
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  const t0 = Date.now();
  await server.stop();
  console.log("STOP TOOK", Date.now() - t0);
});

async function connect(key: string): Promise<{ client: Client }> {
  const client = new Client({ name: "legacy-sse-test", version: "1.0.0" });
  const transport = new SSEClientTransport(new URL(`${server.url}/sse`), {
    requestInit: { headers: { authorization: `Bearer ${key}` } },
  });
  await client.connect(transport);
  clients.push(client);
  return { client };
}

test("the 2024-11-05 HTTP+SSE transport: the SDK's SSEClientTransport generates an image and waits for it, with progress", async () => {
  const { client } = await connect(server.key);
  expect(client.getServerVersion()?.name).toBe("mcp-media-engine");
  const { job, waited } = await generateAndWait(client, {
    prompt: "A lighthouse at dusk",
    preset: "social_post",
  });
  expect(job.status).toBe("completed");
  expect(waited.content.some((c) => c.type === "resource_link")).toBe(true);
  const account = await callTool(client, "get_account");
  expect((account.structuredContent as unknown as Account).plan).toBeDefined();
});

test("/sse and /messages authenticate like /mcp: no key is 401 with the OAuth challenge, a bad key is 401", async () => {
  const none = await fetch(`${server.url}/sse`);
  expect(none.status).toBe(401);
  expect(none.headers.get("www-authenticate")).toBe(
    `Bearer resource_metadata="${server.url}/.well-known/oauth-protected-resource/sse", scope="mcp"`,
  );
  const bad = await fetch(`${server.url}/messages?sessionId=x`, {
    method: "POST",
    headers: { authorization: "Bearer mme_sk_not_a_real_key_at_all", "content-type": "application/json" },
    body: "{}",
  });
  expect(bad.status).toBe(401);
});

/** Opens a stream by hand and reads its first event: the endpoint to POST to. */
async function openRaw(
  key: string,
): Promise<{ endpoint: string; stop: () => void; read: () => Promise<string> }> {
  const abort = new AbortController();
  const response = await fetch(`${server.url}/sse`, {
    headers: { authorization: `Bearer ${key}`, accept: "text/event-stream" },
    signal: abort.signal,
  });
  expect(response.headers.get("content-type")).toBe("text/event-stream");
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  const read = async () => {
    while (!buffered.includes("\n\n")) {
      const { value, done } = await reader.read();
      if (done) throw new Error("the stream ended");
      buffered += value;
    }
    const end = buffered.indexOf("\n\n");
    const event = buffered.slice(0, end);
    buffered = buffered.slice(end + 2);
    return event;
  };
  const first = await read();
  const endpoint = /^event: endpoint\ndata: (\/messages\?sessionId=[\w-]+)$/.exec(first)?.[1];
  if (!endpoint) throw new Error(`unexpected first event: ${first}`);
  return { endpoint, stop: () => abort.abort(), read };
}

function post(endpoint: string, key: string, message: object) {
  return fetch(`${server.url}${endpoint}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(message),
  });
}

test("the wire format: the endpoint event, 202 for each POST, the answer on the stream as a message event", async () => {
  const stream = await openRaw(server.key);
  const initialize = {
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: { protocolVersion: "2024-11-05", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
  };
  expect((await post(stream.endpoint, server.key, initialize)).status).toBe(202);
  const answer = await stream.read();
  expect(answer.startsWith("event: message\ndata: ")).toBe(true);
  const message = JSON.parse(answer.slice("event: message\ndata: ".length));
  expect(message).toMatchObject({ id: 1, result: { protocolVersion: "2024-11-05" } });
  expect((await post(stream.endpoint, server.key, { nonsense: true })).status).toBe(400);
  stream.stop();
});

test("a session answers only the account that opened it: another account's key gets 404 for its session id", async () => {
  const stream = await openRaw(server.key);
  const other = await server.newKey();
  const ping = { jsonrpc: "2.0", id: 9, method: "ping" };
  expect((await post(stream.endpoint, other, ping)).status).toBe(404);
  expect((await post(stream.endpoint, server.key, ping)).status).toBe(202);
  stream.stop();
});

test("a closed stream's session is gone: its messages are 404", async () => {
  const stream = await openRaw(server.key);
  const ping = { jsonrpc: "2.0", id: 1, method: "ping" };
  expect((await post(stream.endpoint, server.key, ping)).status).toBe(202);
  stream.stop();
  await expect.poll(async () => (await post(stream.endpoint, server.key, ping)).status).toBe(404);
});
