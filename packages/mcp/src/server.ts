import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { registerAppResource } from "./app-resource";
import type { MediaBackend } from "./backend";
import { registerResources } from "./resources";
import { JobTaskStore } from "./tasks";
import { traceToolCalls } from "./tool-spans";
import { registerTools, type ToolOptions } from "./tools";

export const SERVER_INFO = { name: "mcp-media-engine", version: "0.1.0" };

export const INSTRUCTIONS =
  "Generate images (and, where their engines run, video and speech) as jobs. A generate_* tool answers at once with a jobId; follow it with wait_for_job (or get_job_status) until it is completed, then use the linked asset resource or its url. Jobs cost credits: estimate_cost and get_account tell how many you have.";

/** An MCP server for one caller's backend: the tools and the job and asset resources. */
export function createMcpServer(backend: MediaBackend, options: ToolOptions = {}): McpServer {
  const server = new McpServer(SERVER_INFO, {
    instructions: INSTRUCTIONS,
    capabilities: { logging: {}, tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } } },
    taskStore: new JobTaskStore(backend, options.log),
  });
  registerTools(server, backend, options);
  registerResources(server, backend);
  registerAppResource(server, backend);
  traceToolCalls(server);
  return server;
}
