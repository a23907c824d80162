import type { Readable, Writable } from "node:stream";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { MediaBackend } from "./backend";
import { isModernOpening, opensModern, peekFirstLine, serveModernOnStdio } from "./modern/stdio";
import { createMcpServer } from "./server";
import type { ToolOptions } from "./tools";

/**
 * Where a stdio connection's messages come from when something read stdin before this server loaded (the CLI's
 * front, which answers `initialize` or `server/discover` at once): its first message, a 1.x transport over it,
 * and, for the 2.x SDK, every message again as JSON lines and where its answers go (JSON lines, which the front
 * passes on to stdout but for its own answers' doubles).
 */
export interface StdioSource {
  first(): Promise<unknown>;
  legacyTransport(): Transport;
  lines(): Readable;
  output(): Writable;
}

/**
 * Serves MCP on this process's stdin and stdout until the client closes stdin. stdout carries the protocol and
 * nothing else: everything this process logs must go to stderr. The client's first message picks the protocol
 * for the connection: 2026-07-28 (`server/discover`, or a request with the `_meta` envelope) is served by the 2.x
 * SDK, anything else (`initialize`) by the 1.x server as before. `source` stands in for stdin when the CLI's
 * front holds it.
 */
export async function serveStdio(
  backend: MediaBackend,
  options: ToolOptions = {},
  source?: StdioSource,
): Promise<void> {
  if (source) {
    if (isModernOpening(await source.first()))
      return serveModernOnStdio(backend, options, source.lines(), source.output());
    return serveLegacy(backend, options, source.legacyTransport());
  }
  const { line, replay: input } = await peekFirstLine(process.stdin);
  if (opensModern(line)) return serveModernOnStdio(backend, options, input);
  return serveLegacy(backend, options, new StdioServerTransport(input, process.stdout), input);
}

async function serveLegacy(
  backend: MediaBackend,
  options: ToolOptions,
  transport: Transport,
  input?: Readable,
): Promise<void> {
  const server = createMcpServer(backend, options);
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    input?.once("end", () => resolve());
  });
  await server.connect(transport);
  await closed;
  await server.close();
}
