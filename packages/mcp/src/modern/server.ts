import { McpServer } from "@modelcontextprotocol/server";
import type { MediaBackend } from "../backend";
import { INSTRUCTIONS, SERVER_INFO } from "../server";
import { traceToolCalls } from "../tool-spans";
import type { ToolOptions } from "../tools";
import { serveTasksExtension, TASKS_EXTENSION } from "./task-extension";
import { registerOnModernServer } from "./tool-host";

/**
 * The protocol revisions this server answers `server/discover` for (the 2.x SDK's modern revisions; stdio.test.ts
 * checks it against the discover answer), newest first. 2025-era revisions are the 1.x SDK's.
 */
export const MODERN_PROTOCOL_VERSIONS: readonly string[] = ["2026-07-28"];

/** The tools and resource templates are the same for every account and change only with a release. */
const LISTS_KEPT_MS = 5 * 60_000;

/**
 * An MCP server for one caller's backend on the 2.x SDK, which speaks protocol 2026-07-28: the same tools and
 * resources as the 1.x server (createMcpServer), registered by the same code, plus the Tasks extension. Built
 * per request (HTTP) or per connection (stdio); it holds nothing between requests.
 */
export function createModernServer(backend: MediaBackend, options: ToolOptions = {}): McpServer {
  const server = new McpServer(SERVER_INFO, {
    instructions: INSTRUCTIONS,
    capabilities: { tools: {}, resources: {}, extensions: { [TASKS_EXTENSION]: {} } },
    // Cacheable results: the lists and the discovery answer are public; a resource read is the caller's own.
    cacheHints: {
      "server/discover": { ttlMs: LISTS_KEPT_MS, cacheScope: "public" },
      "tools/list": { ttlMs: LISTS_KEPT_MS, cacheScope: "public" },
      "resources/list": { ttlMs: LISTS_KEPT_MS, cacheScope: "public" },
      "resources/templates/list": { ttlMs: LISTS_KEPT_MS, cacheScope: "public" },
      "resources/read": { ttlMs: 0, cacheScope: "private" },
    },
  });
  const taskTools = registerOnModernServer(server, backend, options);
  serveTasksExtension(server, backend, taskTools, options);
  traceToolCalls(server);
  return server;
}
