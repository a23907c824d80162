import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { MediaBackend } from "./backend";
import { createMcpServer } from "./server";
import type { ToolOptions } from "./tools";

/**
 * Serves MCP on this process's stdin and stdout until the client closes stdin. stdout carries the protocol and
 * nothing else: everything this process logs must go to stderr. `transport` replaces the SDK's stdio transport
 * (the CLI's, which answered `initialize` before this server was loaded).
 */
export async function serveStdio(
  backend: MediaBackend,
  options: ToolOptions = {},
  transport: Transport = new StdioServerTransport(),
): Promise<void> {
  const server = createMcpServer(backend, options);
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once("end", () => resolve());
  });
  await server.connect(transport);
  await closed;
  await server.close();
}
