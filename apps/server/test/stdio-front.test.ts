import { PassThrough } from "node:stream";
import { createMcpServer, MODERN_PROTOCOL_VERSIONS, serveStdio } from "@mcpmediaengine/mcp";
import {
  type JSONRPCMessage,
  Client as ModernClient,
  type Transport as ModernTransport,
} from "@modelcontextprotocol/client";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { SUPPORTED_PROTOCOL_VERSIONS } from "@modelcontextprotocol/sdk/types.js";
import { expect, test } from "vitest";
import {
  answersDiscover,
  DISCOVER_RESULT,
  MODERN_PROTOCOL_VERSIONS as FRONT_MODERN_VERSIONS,
  initializeResult,
  PROTOCOL_VERSIONS,
  startStdioFront,
} from "../src/stdio/front.mjs";
import { FrontTransport, frontSource } from "../src/stdio/front-transport";

// The stdio front answers `initialize` (2025-era) and `server/discover` (2026-07-28) for the real servers before
// they are loaded: its answers must be theirs, or a host would be told one thing and then meet another.

interface Line {
  id?: number | string;
  method?: string;
  result?: Record<string, unknown> & { tools?: unknown[] };
  error?: unknown;
}

/** A front of its own on in-memory stdin and stdout (the process-wide one is keyed on globalThis). */
function freshFront() {
  const input = new PassThrough();
  const output = new PassThrough();
  const lines: Line[] = [];
  output.on("data", (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line));
  });
  const key = Symbol.for("mcp-media-engine.stdio-front");
  const saved = (globalThis as Record<symbol, unknown>)[key];
  delete (globalThis as Record<symbol, unknown>)[key];
  const front = startStdioFront(input, output);
  (globalThis as Record<symbol, unknown>)[key] = saved;
  const send = (message: object) => input.write(`${JSON.stringify(message)}\n`);
  return { front, input, output, lines, send };
}

async function realAnswer(protocolVersion: string) {
  const server = createMcpServer({} as never);
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  let answer: unknown;
  clientSide.onmessage = (message) => {
    answer = message;
  };
  await clientSide.start();
  await clientSide.send({
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: { protocolVersion, capabilities: {}, clientInfo: { name: "t", version: "1" } },
  });
  await expect.poll(() => answer).toBeDefined();
  await server.close();
  return (answer as { result: unknown }).result;
}

test("the front's initialize answer is the real server's, for every version and an unknown one", async () => {
  expect(PROTOCOL_VERSIONS).toEqual(SUPPORTED_PROTOCOL_VERSIONS);
  for (const version of [...SUPPORTED_PROTOCOL_VERSIONS, "1999-01-01"])
    expect(initializeResult(version)).toEqual(await realAnswer(version));
});

test("the real server attaches behind the front: held messages arrive in order, the replayed answer is dropped", async () => {
  const { front, lines, send } = freshFront();
  send({
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
  });
  send({ jsonrpc: "2.0", method: "notifications/initialized" });
  send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
  await expect.poll(() => lines.length).toBe(1);
  expect(lines[0]).toMatchObject({ id: 1, result: { protocolVersion: "2025-06-18" } });

  const server = createMcpServer({} as never);
  await server.connect(new FrontTransport(front));
  await expect.poll(() => lines.length).toBe(2);
  expect(lines[1]!.id).toBe(2);
  expect(lines[1]!.result!.tools!.length).toBeGreaterThan(5);
  // The server took the replayed initialize as the session's: the client's version stands.
  expect(server.server.getClientVersion()).toEqual({ name: "t", version: "1" });
  await server.close();
});

const ENVELOPE = "io.modelcontextprotocol/";

/** A `server/discover` request as a 2026-07-28 client sends it, with `_meta` changed by `meta`. */
function discover(meta: Record<string, unknown> = {}, extra: object = {}, id: number | string = 1) {
  const envelope: Record<string, unknown> = {
    [`${ENVELOPE}protocolVersion`]: "2026-07-28",
    [`${ENVELOPE}clientInfo`]: { name: "t", version: "1" },
    [`${ENVELOPE}clientCapabilities`]: {},
  };
  for (const [key, value] of Object.entries(meta))
    if (value === undefined) delete envelope[`${ENVELOPE}${key}`];
    else envelope[key.includes("/") ? key : `${ENVELOPE}${key}`] = value;
  return { jsonrpc: "2.0", id, method: "server/discover", params: { _meta: envelope, ...extra } };
}

/** What the real stdio server (serveStdio, the 2.x SDK) answers to `request` as a connection's first message. */
async function realModernAnswer(request: object): Promise<Line> {
  const input = new PassThrough();
  const output = new PassThrough();
  const answers: Line[] = [];
  output.on("data", (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n").filter(Boolean)) answers.push(JSON.parse(line));
  });
  const served = serveStdio(
    {} as never,
    {},
    {
      first: async () => request,
      legacyTransport: () => {
        throw new Error("a server/discover opens 2026-07-28");
      },
      lines: () => input,
      output: () => output,
    },
  );
  input.write(`${JSON.stringify(request)}\n`);
  await expect.poll(() => answers.length).toBe(1);
  input.end();
  await served;
  return answers[0]!;
}

test("the front's server/discover answer is the real 2.x server's; what it cannot vouch for it leaves alone", async () => {
  expect(FRONT_MODERN_VERSIONS).toEqual(MODERN_PROTOCOL_VERSIONS);
  // Openings real clients send: the front answers each, and the real server answers each the same.
  const answered = [
    discover(),
    discover({}, {}, "a-string-id"),
    discover({ clientInfo: undefined }),
    discover({
      clientInfo: { name: "t", version: "1", title: "T", websiteUrl: "https://x", description: "d" },
    }),
    discover({ logLevel: "info" }),
    discover({ clientCapabilities: { extensions: { "io.modelcontextprotocol/tasks": {} } } }),
    discover({
      clientCapabilities: {
        sampling: { context: {}, tools: {} },
        elicitation: { form: { applyDefaults: true }, url: {} },
        roots: { listChanged: true },
        experimental: { x: { y: 1 } },
      },
    }),
    discover({ clientCapabilities: { elicitation: {}, sampling: {} } }),
  ];
  // Requests the real server refuses, or that the front does not try to judge: it holds them all.
  const left = [
    discover({ protocolVersion: "2027-01-01" }),
    discover({ protocolVersion: "2025-11-25" }),
    discover({ protocolVersion: undefined }),
    discover({ clientCapabilities: undefined }),
    discover({ clientCapabilities: { roots: 5 } }),
    discover({ clientCapabilities: { extensions: { x: 5 } } }),
    discover({ clientCapabilities: { roots: { listChanged: "yes" } } }),
    discover({ clientInfo: { name: "t" } }),
    discover({ clientInfo: { name: "t", version: "1", icons: [{ src: "https://x/i.png" }] } }),
    discover({ logLevel: "loud" }),
    discover({ progressToken: 7 }),
    discover({ traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" }),
    discover({}, { cursor: "x" }),
    { jsonrpc: "2.0", id: 1, method: "server/discover", params: {} },
    { jsonrpc: "2.0", id: 1, method: "server/discover" },
  ];
  for (const request of answered) expect(answersDiscover(request), JSON.stringify(request)).toBe(true);
  for (const request of left) expect(answersDiscover(request), JSON.stringify(request)).toBe(false);
  for (const request of [...answered, ...left]) {
    const real = await realModernAnswer(request);
    expect(real.id).toBe(request.id);
    // Whenever the front answers, the real server answers exactly that.
    if (answersDiscover(request)) expect(real.result, JSON.stringify(request)).toEqual(DISCOVER_RESULT);
  }
  // Not a rubber stamp: the real server refuses some of what the front holds.
  expect((await realModernAnswer(discover({ clientCapabilities: { roots: 5 } }))).error).toBeDefined();
});

/** A 2.x SDK client's transport to the front's stdin and from its stdout. */
function clientTransport(fresh: ReturnType<typeof freshFront>): ModernTransport {
  const transport: ModernTransport = {
    async start() {
      fresh.output.on("data", (chunk: Buffer) => {
        for (const line of chunk.toString().split("\n").filter(Boolean))
          transport.onmessage?.(JSON.parse(line) as JSONRPCMessage);
      });
    },
    async send(message) {
      fresh.send(message);
    },
    async close() {
      transport.onclose?.();
    },
  };
  return transport;
}

test("a 2.x client connects on the front's discover answer alone; the real server's answer to it is dropped", async () => {
  const fresh = freshFront();
  const client = new ModernClient(
    { name: "front-test", version: "1.0.0" },
    { versionNegotiation: { mode: { pin: "2026-07-28" } } },
  );
  // No server has attached: the answer that lets the client connect is the front's.
  await client.connect(clientTransport(fresh));
  expect(fresh.lines).toHaveLength(1);
  expect(fresh.lines[0]!.result).toEqual(DISCOVER_RESULT);
  const discoverId = fresh.lines[0]!.id;

  // The client's next request waits for the real server, which gets the discover replayed first.
  const listing = client.listTools();
  const served = serveStdio({} as never, {}, frontSource(fresh.front));
  const { tools } = await listing;
  expect(tools.length).toBeGreaterThan(5);
  // One more round trip (tools/list is cached now; a call is not), so the replayed discover, queued before
  // both, has surely been answered, and dropped.
  const unknown = await client.callTool({ name: "no_such_tool", arguments: {} }).catch((error) => error);
  expect(unknown).toMatchObject({ code: -32602 });
  expect(fresh.lines).toHaveLength(3);
  expect(fresh.lines[2]).toMatchObject({ error: { code: -32602 } });
  expect(fresh.lines.filter((line) => line.id === discoverId)).toHaveLength(1);
  await client.close();
  fresh.input.end();
  await served;
});

test("each early answer belongs to its revision: no initialize on a 2026 connection, no discover on a 2025 one", async () => {
  const modern = freshFront();
  modern.send(discover());
  modern.send({
    jsonrpc: "2.0",
    id: 2,
    method: "initialize",
    params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } },
  });
  modern.send(discover({}, {}, 3));
  await expect.poll(() => modern.lines.map((line) => line.id)).toEqual([1, 3]);

  const legacy = freshFront();
  legacy.send({
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } },
  });
  legacy.send(discover({}, {}, 2));
  legacy.send({ jsonrpc: "2.0", id: 3, method: "ping" });
  // Every message is held for the real server, in order; of them the front answered the initialize alone.
  const held: Line[] = [];
  legacy.front.attach(
    (message) => held.push(message as Line),
    () => undefined,
  );
  await expect.poll(() => held.map((message) => message.id)).toEqual([1, 2, 3]);
  expect(legacy.lines.map((line) => line.id)).toEqual([1]);
});
