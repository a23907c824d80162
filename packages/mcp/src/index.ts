export { engineBackend, type MediaBackend } from "./backend";
export { type McpHttpOptions, McpHttpSessions } from "./http";
export { isLoopbackAddress, mcpOriginGuard, type OriginGuardOptions } from "./origin-guard";
export { remoteBackend } from "./remote-backend";
export { assetUri, jobUri } from "./results";
export { createMcpServer, SERVER_INFO } from "./server";
export { serveStdio } from "./stdio";
export { WaitForJobRequest } from "./tools";
