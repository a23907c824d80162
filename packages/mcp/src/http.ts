import { randomUUID } from "node:crypto";
import type { Caller } from "@mcpmediaengine/engine";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import type { MediaBackend } from "./backend";
import { createMcpServer } from "./server";
import type { ToolOptions } from "./tools";

interface Session {
  server: McpServer;
  transport: WebStandardStreamableHTTPServerTransport;
  accountId: string;
  keyId: string;
  lastSeen: number;
  /** Requests being answered now, open streams included (a tool call's SSE answer, the standalone GET stream). */
  active: number;
}

export interface McpHttpOptions extends ToolOptions {
  /** The backend for an authenticated caller and the request it came with. */
  backendFor(caller: Caller, request: Request): MediaBackend;
  /** A session unused this long is closed. Default 30 minutes. */
  idleMs?: number;
  /** The most sessions open at once (MME_MCP_MAX_SESSIONS). Default 1000. */
  maxSessions?: number;
  /** The most sessions one API key may have open (MME_MCP_MAX_SESSIONS_PER_KEY). Default 50. */
  maxSessionsPerKey?: number;
}

/**
 * MCP over Streamable HTTP for authenticated callers. An `initialize` without a session starts a session (its
 * id in `Mcp-Session-Id`) bound to the caller's account: the same id under another account's key is not found.
 * Any other request without a session is served on its own (stateless), for clients that keep none.
 *
 * Sessions are capped, per API key and in all: a new session over a cap closes the least recently used session
 * (of that key, or of anyone) that is idle, that is, answering no request and holding no stream open; only when
 * every candidate is busy does the least recently used busy one go. So a flood of `initialize` calls costs at most
 * the caps' worth of memory, and it pushes out its own sessions before a working client's. A closed session's id
 * is 404 from then on, and its client starts a new one.
 */
export class McpHttpSessions {
  // In order of use, least recent first: a session is moved to the end each time it is used.
  private readonly sessions = new Map<string, Session>();
  private readonly sweeper: NodeJS.Timeout;
  private readonly maxSessions: number;
  private readonly maxSessionsPerKey: number;

  constructor(private readonly options: McpHttpOptions) {
    const idleMs = options.idleMs ?? 30 * 60_000;
    this.maxSessions = options.maxSessions ?? 1000;
    this.maxSessionsPerKey = options.maxSessionsPerKey ?? 50;
    this.sweeper = setInterval(
      () => {
        const now = Date.now();
        for (const [id, session] of this.sessions) {
          if (now - session.lastSeen > idleMs) this.evict(id, session);
        }
      },
      Math.min(idleMs, 60_000),
    );
    this.sweeper.unref();
  }

  /** Sessions open now. */
  get size(): number {
    return this.sessions.size;
  }

  /** Sessions answering a request or holding a stream open now. */
  get busy(): number {
    let n = 0;
    for (const session of this.sessions.values()) if (session.active > 0) n++;
    return n;
  }

  /** Sessions one API key has open now. */
  sizeOf(keyId: string): number {
    let n = 0;
    for (const session of this.sessions.values()) if (session.keyId === keyId) n++;
    return n;
  }

  async handle(request: Request, caller: Caller): Promise<Response> {
    const sessionId = request.headers.get("mcp-session-id");
    if (sessionId) {
      const session = this.sessions.get(sessionId);
      if (!session || session.accountId !== caller.accountId) return sessionNotFound();
      return this.serve(sessionId, session, request);
    }
    const body = request.method === "POST" ? await readJson(request) : undefined;
    if (body === invalidJson) return jsonRpcError(400, -32700, "Parse error: the body is not JSON.");
    const server = createMcpServer(this.options.backendFor(caller, request), this.options);
    if (isInitializeRequest(body)) {
      const transport: WebStandardStreamableHTTPServerTransport =
        new WebStandardStreamableHTTPServerTransport({
          sessionIdGenerator: randomUUID,
          onsessioninitialized: (id) => {
            // Room is made as the session is added, in one synchronous step, so concurrent initializes cannot
            // both see room under a cap.
            this.makeRoom(caller.keyId);
            this.sessions.set(id, {
              server,
              transport,
              accountId: caller.accountId,
              keyId: caller.keyId,
              lastSeen: Date.now(),
              active: 0,
            });
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
    await Promise.all(open.map((s) => s.server.close()));
  }

  /** Answers a request of a session, which counts as busy until its answer (a stream, maybe) has ended. */
  private async serve(id: string, session: Session, request: Request): Promise<Response> {
    this.sessions.delete(id);
    this.sessions.set(id, session);
    session.lastSeen = Date.now();
    session.active++;
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      session.active--;
      session.lastSeen = Date.now();
    };
    try {
      return whenBodyEnds(await session.transport.handleRequest(request), end);
    } catch (error) {
      end();
      throw error;
    }
  }

  /** Closes sessions until one more fits under the key's cap and the global one. */
  private makeRoom(keyId: string): void {
    while (this.sizeOf(keyId) >= this.maxSessionsPerKey) this.evictOldest((s) => s.keyId === keyId);
    while (this.sessions.size >= this.maxSessions) this.evictOldest(() => true);
  }

  /** Closes the least recently used idle session of `which`, or if all are busy the least recently used one. */
  private evictOldest(which: (session: Session) => boolean): void {
    let victim: [string, Session] | undefined;
    for (const entry of this.sessions) {
      if (!which(entry[1])) continue;
      victim ??= entry;
      if (entry[1].active === 0) {
        victim = entry;
        break;
      }
    }
    if (victim) this.evict(...victim);
  }

  private evict(id: string, session: Session): void {
    this.sessions.delete(id);
    // Closing the server closes its transport: open streams end and pending requests are answered.
    session.server
      .close()
      .catch((error: unknown) => this.options.log?.(`closing MCP session ${id}: ${error}`));
  }
}

/** The response, with `onEnd` called once its body has been read to the end, has failed or was canceled. */
function whenBodyEnds(response: Response, onEnd: () => void): Response {
  if (!response.body) {
    onEnd();
    return response;
  }
  const reader = response.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          onEnd();
          controller.close();
        } else {
          controller.enqueue(value);
        }
      } catch (error) {
        onEnd();
        controller.error(error);
      }
    },
    cancel(reason) {
      onEnd();
      return reader.cancel(reason);
    },
  });
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
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
