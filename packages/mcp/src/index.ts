export { engineBackend, type MediaBackend } from "./backend";
export { deferredBackend } from "./deferred-backend";
export { type McpHttpOptions, McpHttpSessions } from "./http";
export { isLoopbackAddress, mcpOriginGuard, type OriginGuardOptions } from "./origin-guard";
export { remoteBackend } from "./remote-backend";
export { assetUri, jobUri } from "./results";
export { createMcpServer, SERVER_INFO } from "./server";
export { type StdioSource, serveStdio } from "./stdio";
export { WaitForJobRequest } from "./tools";
