import { PassThrough } from "node:stream";
import { expect, test } from "vitest";
import { MODERN_PROTOCOL_VERSIONS } from "./server";
import { opensModern, peekFirstLine, serveModernOnStdio } from "./stdio";

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += chunk.toString();
  return text;
}

test("the first line is read without being taken: the replay carries it and everything after", async () => {
  const input = new PassThrough();
  const peeked = peekFirstLine(input);
  input.write('{"jsonrpc":"2.0","id":1,');
  input.write('"method":"server/discover"}\n{"jsonrpc":"2.0","id":2}');
  const { line, replay } = await peeked;
  expect(line).toBe('{"jsonrpc":"2.0","id":1,"method":"server/discover"}');
  input.end("\n");
  expect(await readAll(replay)).toBe(
    '{"jsonrpc":"2.0","id":1,"method":"server/discover"}\n{"jsonrpc":"2.0","id":2}\n',
  );
});

test("input that ends before a whole line gives no line, and the replay ends", async () => {
  const input = new PassThrough();
  const peeked = peekFirstLine(input);
  input.end("partial");
  const { line, replay } = await peeked;
  expect(line).toBeUndefined();
  expect(await readAll(replay)).toBe("partial");
});

test("server/discover or a request with the _meta envelope opens 2026-07-28; initialize and anything else do not", () => {
  expect(opensModern('{"jsonrpc":"2.0","id":1,"method":"server/discover","params":{}}')).toBe(true);
  const enveloped = {
    jsonrpc: "2.0",
    id: 1,
    method: "tools/list",
    params: { _meta: { "io.modelcontextprotocol/protocolVersion": "2026-07-28" } },
  };
  expect(opensModern(JSON.stringify(enveloped))).toBe(true);
  const initialize = {
    jsonrpc: "2.0",
    id: 0,
    method: "initialize",
    params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "x", version: "1" } },
  };
  expect(opensModern(JSON.stringify(initialize))).toBe(false);
  expect(opensModern("not json")).toBe(false);
  expect(opensModern(undefined)).toBe(false);
});

test("a 2026-07-28 stdio connection answers on the output it is given, naming the revisions it serves", async () => {
  const input = new PassThrough();
  const output = new PassThrough();
  const served = serveModernOnStdio({} as never, {}, input, output);
  input.write(
    `${JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "server/discover",
      params: {
        _meta: {
          "io.modelcontextprotocol/protocolVersion": "2026-07-28",
          "io.modelcontextprotocol/clientCapabilities": {},
        },
      },
    })}\n`,
  );
  const [line] = await new Promise<string[]>((resolve) =>
    output.once("data", (chunk: Buffer) => resolve(chunk.toString().split("\n"))),
  );
  expect(JSON.parse(line!)).toMatchObject({ id: 1, result: { supportedVersions: MODERN_PROTOCOL_VERSIONS } });
  input.end();
  await served;
});
