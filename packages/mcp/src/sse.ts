import { randomUUID } from "node:crypto";
import type { Caller } from "@mcpmediaengine/engine";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { type JSONRPCMessage, JSONRPCMessageSchema } from "@modelcontextprotocol/sdk/types.js";
import type { MediaBackend } from "./backend";
import { invalidJson, jsonRpcError, readJson } from "./http-responses";
import { createMcpServer } from "./server";
import type { ToolOptions } from "./tools";

/** A comment line every so often keeps proxies from closing a quiet stream. */
const KEEPALIVE_MS = 15_000;

export interface McpSseOptions extends ToolOptions {
  backendFor(caller: Caller, request: Request): MediaBackend;
  /** The path the client POSTs its messages to (announced in the stream's `endpoint` event). */
  messagesPath?: string;
  /** Streams one process holds at once; past it a new one is 503. Default 1000. */
  maxStreams?: number;
}

interface Stream {
  accountId: string;
  keyId: string;
  transport: SseTransport;
}

/**
 * The HTTP+SSE transport of protocol revision 2024-11-05, for clients that still use it: `GET /sse` opens a
 * stream whose first event names the endpoint to POST messages to (`/messages?sessionId=…`); answers and
 * notifications come back on the stream. A stream and its session live in the process that opened it (a POST
 * that reaches another process is 404: behind several API processes, route /messages by sessionId, or use
 * Streamable HTTP at /mcp, which any process answers). A session answers only the account and key (or OAuth
 * grant) that opened it.
 */
export class McpSseSessions {
  private readonly streams = new Map<string, Stream>();

  constructor(private readonly options: McpSseOptions) {}

  get size(): number {
    return this.streams.size;
  }

  async open(request: Request, caller: Caller): Promise<Response> {
    if (this.streams.size >= (this.options.maxStreams ?? 1000)) {
      return jsonRpcError(503, -32000, "Too many SSE streams open on this process; use /mcp.");
    }
    const sessionId = randomUUID();
    const endpoint = `${this.options.messagesPath ?? "/messages"}?sessionId=${sessionId}`;
    const transport = new SseTransport(sessionId, endpoint);
    const server = createMcpServer(this.options.backendFor(caller, request), this.options);
    this.streams.set(sessionId, { accountId: caller.accountId, keyId: caller.keyId, transport });
    transport.onclose = () => {
      this.streams.delete(sessionId);
      void server.close().catch(() => {});
    };
    request.signal.addEventListener("abort", () => void transport.close());
    await server.connect(transport);
    return new Response(transport.body, {
      headers: {
        "content-type": "text/event-stream",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
      },
    });
  }

  async post(request: Request, caller: Caller): Promise<Response> {
    const sessionId = new URL(request.url).searchParams.get("sessionId") ?? "";
    const stream = this.streams.get(sessionId);
    // Another account's (or key's) session id is not found, as in /mcp.
    if (!stream || stream.accountId !== caller.accountId || stream.keyId !== caller.keyId) {
      return jsonRpcError(404, -32001, "Session not found: open a new stream at /sse.");
    }
    const body = await readJson(request);
    if (body === invalidJson) return jsonRpcError(400, -32700, "Parse error: the body is not JSON.");
    const parsed = JSONRPCMessageSchema.safeParse(body);
    if (!parsed.success) return jsonRpcError(400, -32600, "Invalid Request: not a JSON-RPC message.");
    stream.transport.receive(parsed.data, request);
    return new Response("Accepted", { status: 202 });
  }

  /** This process stops: every stream ends (its clients reconnect, to this or another process). */
  async close(): Promise<void> {
    await Promise.all([...this.streams.values()].map((s) => s.transport.close()));
  }
}

/** The SDK's Transport over one SSE response body; messages arrive through `receive` (the POSTs). */
class SseTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: Transport["onmessage"];
  readonly body: ReadableStream<Uint8Array>;
  private controller?: ReadableStreamDefaultController<Uint8Array>;
  private keepalive?: NodeJS.Timeout;
  private closed = false;
  private readonly encoder = new TextEncoder();

  constructor(
    readonly sessionId: string,
    endpoint: string,
  ) {
    this.body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.controller = controller;
        this.write(`event: endpoint\ndata: ${endpoint}\n\n`);
      },
      cancel: () => void this.close(),
    });
  }

  async start(): Promise<void> {
    this.keepalive = setInterval(() => this.write(": keepalive\n\n"), KEEPALIVE_MS);
    this.keepalive.unref();
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) throw new Error("The SSE stream is closed.");
    this.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
  }

  receive(message: JSONRPCMessage, request: Request): void {
    const headers = Object.fromEntries(request.headers.entries());
    this.onmessage?.(message, { requestInfo: { headers } });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.keepalive);
    try {
      this.controller?.close();
    } catch {
      // the client went away first
    }
    this.onclose?.();
  }

  private write(text: string): void {
    if (this.closed) return;
    try {
      this.controller?.enqueue(this.encoder.encode(text));
    } catch (error) {
      this.onerror?.(error as Error);
    }
  }
}
