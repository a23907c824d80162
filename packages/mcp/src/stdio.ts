import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { MediaBackend } from "./backend";
import { opensModern, peekFirstLine, serveModernOnStdio } from "./modern/stdio";
import { createMcpServer } from "./server";
import type { ToolOptions } from "./tools";

/**
 * Serves MCP on this process's stdin and stdout until the client closes stdin. stdout carries the protocol and
 * nothing else: everything this process logs must go to stderr. The client's first message picks the protocol
 * for the connection: 2026-07-28 (`server/discover`, or a request with the `_meta` envelope) is served by the 2.x
 * SDK, anything else (`initialize`) by the 1.x server as before.
 */
export async function serveStdio(backend: MediaBackend, options: ToolOptions = {}): Promise<void> {
  const { line, replay: input } = await peekFirstLine(process.stdin);
  if (opensModern(line)) return serveModernOnStdio(backend, options, input);
  const server = createMcpServer(backend, options);
  const transport = new StdioServerTransport(input, process.stdout);
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    input.once("end", () => resolve());
  });
  await server.connect(transport);
  await closed;
  await server.close();
}
