import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { MediaBackend } from "./backend";
import { createMcpServer } from "./server";
import type { ToolOptions } from "./tools";

/**
 * Serves MCP on this process's stdin and stdout until the client closes stdin. stdout carries the protocol and
 * nothing else: everything this process logs must go to stderr.
 */
export async function serveStdio(backend: MediaBackend, options: ToolOptions = {}): Promise<void> {
  const server = createMcpServer(backend, options);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once("end", () => resolve());
  });
  await server.connect(transport);
  await closed;
  await server.close();
}
