import type { McpSessionRecord } from "@mcpmediaengine/engine";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";

export interface SessionServer {
  server: McpServer;
  transport: WebStandardStreamableHTTPServerTransport;
}

/**
 * A session's server on a transport that answers under the session's id. With `replay`, the session was opened
 * on another process (or before this one restarted): its client's `initialize` is replayed to the new server, so
 * the transport counts as initialized and the server knows the client's protocol version, capabilities and name,
 * as the process that saw the real one does. The replayed answer goes nowhere.
 */
export async function connectSessionServer(
  server: McpServer,
  sessionId: string,
  replay?: { record: McpSessionRecord; url: string },
): Promise<SessionServer> {
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: () => sessionId });
  await server.connect(transport);
  if (replay) {
    const { record } = replay;
    const initialize = {
      jsonrpc: "2.0",
      id: 0,
      method: "initialize",
      params: {
        protocolVersion: record.protocolVersion,
        capabilities: record.clientCapabilities,
        clientInfo: record.clientInfo,
      },
    };
    const answer = await transport.handleRequest(
      new Request(replay.url, {
        method: "POST",
        headers: { accept: "application/json, text/event-stream", "content-type": "application/json" },
        body: JSON.stringify(initialize),
      }),
      { parsedBody: initialize },
    );
    const text = await answer.text();
    if (!answer.ok || !text.includes('"result"')) {
      await server.close().catch(() => {});
      throw new Error(`replaying the initialize of MCP session ${sessionId} failed: ${answer.status}`);
    }
  }
  return { server, transport };
}
