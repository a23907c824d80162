export { engineBackend, type MediaBackend } from "./backend";
export { describeTools, type ToolSummary } from "./describe";
export { type McpHttpOptions, McpHttpSessions } from "./http";
export { remoteBackend } from "./remote-backend";
export { assetUri, jobUri } from "./results";
export { createMcpServer, SERVER_INFO } from "./server";
export { type McpSseOptions, McpSseSessions } from "./sse";
export { serveStdio } from "./stdio";
export { WaitForJobRequest } from "./tools";
