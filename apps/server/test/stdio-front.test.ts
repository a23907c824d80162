import { PassThrough } from "node:stream";
import { createMcpServer } from "@mcpmediaengine/mcp";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { SUPPORTED_PROTOCOL_VERSIONS } from "@modelcontextprotocol/sdk/types.js";
import { expect, test } from "vitest";
import { initializeResult, PROTOCOL_VERSIONS, startStdioFront } from "../src/stdio/front.mjs";
import { FrontTransport } from "../src/stdio/front-transport";

// The stdio front answers `initialize` for the real server before it is loaded: its answer must be the real
// server's, or a host would be told one thing and then meet another.

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
  const input = new PassThrough();
  const output = new PassThrough();
  const lines: { id?: number; result?: { tools?: unknown[] } }[] = [];
  output.on("data", (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line));
  });
  // A fresh front for this test (the process-wide one is keyed on globalThis).
  const key = Symbol.for("mcp-media-engine.stdio-front");
  const saved = (globalThis as Record<symbol, unknown>)[key];
  delete (globalThis as Record<symbol, unknown>)[key];
  const front = startStdioFront(input, output);
  (globalThis as Record<symbol, unknown>)[key] = saved;

  const send = (message: object) => input.write(`${JSON.stringify(message)}\n`);
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
