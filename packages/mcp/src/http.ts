import { randomUUID } from "node:crypto";
import type { Caller } from "@mcpmediaengine/engine";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import type { MediaBackend } from "./backend";
import { createMcpServer } from "./server";
import type { ToolOptions } from "./tools";

interface Session {
  transport: WebStandardStreamableHTTPServerTransport;
  accountId: string;
  lastSeen: number;
}

export interface McpHttpOptions extends ToolOptions {
  /** The backend for an authenticated caller and the request it came with. */
  backendFor(caller: Caller, request: Request): MediaBackend;
  /** A session unused this long is closed. Default 30 minutes. */
  idleMs?: number;
}

/**
 * MCP over Streamable HTTP for authenticated callers. An `initialize` without a session starts a session (its
 * id in `Mcp-Session-Id`) bound to the caller's account: the same id under another account's key is not found.
 * Any other request without a session is served on its own (stateless), for clients that keep none.
 */
export class McpHttpSessions {
  private readonly sessions = new Map<string, Session>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly options: McpHttpOptions) {
    const idleMs = options.idleMs ?? 30 * 60_000;
    this.sweeper = setInterval(
      () => {
        const now = Date.now();
        for (const [id, session] of this.sessions) {
          if (now - session.lastSeen > idleMs) {
            this.sessions.delete(id);
            void session.transport.close();
          }
        }
      },
      Math.min(idleMs, 60_000),
    );
    this.sweeper.unref();
  }

  async handle(request: Request, caller: Caller): Promise<Response> {
    const sessionId = request.headers.get("mcp-session-id");
    if (sessionId) {
      const session = this.sessions.get(sessionId);
      if (!session || session.accountId !== caller.accountId) return sessionNotFound();
      session.lastSeen = Date.now();
      return session.transport.handleRequest(request);
    }
    const body = request.method === "POST" ? await readJson(request) : undefined;
    if (body === invalidJson) return jsonRpcError(400, -32700, "Parse error: the body is not JSON.");
    const server = createMcpServer(this.options.backendFor(caller, request), this.options);
    if (isInitializeRequest(body)) {
      const transport: WebStandardStreamableHTTPServerTransport =
        new WebStandardStreamableHTTPServerTransport({
          sessionIdGenerator: randomUUID,
          onsessioninitialized: (id) => {
            this.sessions.set(id, { transport, accountId: caller.accountId, lastSeen: Date.now() });
          },
          onsessionclosed: (id) => {
            this.sessions.delete(id);
          },
        });
      await server.connect(transport);
      return transport.handleRequest(request, { parsedBody: body });
    }
    if (request.method !== "POST") {
      return jsonRpcError(405, -32000, "Without a session only POST is served; initialize to get a session.");
    }
    const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true });
    await server.connect(transport);
    const response = await transport.handleRequest(request, { parsedBody: body });
    await server.close();
    return response;
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    const open = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(open.map((s) => s.transport.close()));
  }
}

const invalidJson = Symbol("invalid JSON");

async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    return invalidJson;
  }
}

function sessionNotFound(): Response {
  return jsonRpcError(404, -32001, "Session not found: initialize a new one.");
}

function jsonRpcError(status: number, code: number, message: string): Response {
  return new Response(JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null }), {
    status,
    headers: { "content-type": "application/json" },
  });
}
