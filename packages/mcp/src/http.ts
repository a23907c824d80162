import { randomUUID } from "node:crypto";
import { AppError } from "@mcpmediaengine/contract";
import {
  type Caller,
  closeIdleMcpSessions,
  closeMcpSession,
  countMcpSessions,
  type EngineContext,
  keepMcpSessionsBusy,
  type McpSessionRecord,
  openMcpSession,
  releaseMcpSession,
  stillOpenMcpSessions,
  useMcpSession,
} from "@mcpmediaengine/engine";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { type InitializeRequest, isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import type { MediaBackend } from "./backend";
import { invalidJson, jsonRpcError, readJson, sessionNotFound, whenBodyEnds } from "./http-responses";
import { isModernRequest, type ModernHttp, modernHttp } from "./modern/http";
import { createMcpServer } from "./server";
import { connectSessionServer, type SessionServer } from "./session-server";
import type { ToolOptions } from "./tools";

/** A session's server built in this process. */
interface Copy extends SessionServer {
  lastUsed: number;
  /** Requests being answered here now, open streams included (a tool call's SSE answer, the standalone GET stream). */
  active: number;
  /** This process has written the session busy in the table; it clears that when its last request here ends. */
  marked: boolean;
  clearing?: Promise<void>;
}

/** How long a busy mark lasts unless renewed: a process that dies with a stream open stops renewing it. */
const BUSY_FOR_MS = 20_000;
/** How often the streams a process holds open renew their sessions' busy marks. */
const BUSY_RENEW_MS = 5_000;
/** How long a closed session's id is remembered, so a copy being built for it is not kept. */
const CLOSED_KEPT_MS = 60_000;

export interface McpHttpOptions extends ToolOptions {
  engine: EngineContext;
  /** The backend for an authenticated caller and the request it came with. */
  backendFor(caller: Caller, request: Request): MediaBackend;
  /** A session unused this long, on every process, is closed. Default 30 minutes. */
  idleMs?: number;
  /** How long this process keeps a session's server once unused here (it is built again when needed). Default 5 minutes. */
  keepBuiltMs?: number;
  /** The most sessions open at once over every API process (MME_MCP_MAX_SESSIONS). Default 1000. */
  maxSessions?: number;
  /** The most sessions one API key may have open over every API process (MME_MCP_MAX_SESSIONS_PER_KEY). Default 50. */
  maxSessionsPerKey?: number;
}

/**
 * MCP over Streamable HTTP for authenticated callers, on any number of API processes. An `initialize` without a
 * session opens a session (its id in `Mcp-Session-Id`) bound to the caller's account, as a row in Postgres; any
 * process then answers its requests, building the session's server from the row when it has none (see
 * session-server.ts), and a session closed anywhere (DELETE, a cap, idleness) is closed everywhere: the row goes,
 * its trigger tells every process (`forget`), and every request checks the row first. The same id under another
 * account's key is not found. Any other request without a session is served on its own (stateless), for clients
 * that keep none. A request of protocol 2026-07-28 (no session, the `_meta` envelope in every request) goes to the
 * stateless 2.x SDK handler of modern/http.ts.
 *
 * Sessions are capped, per API key and in all, over every process: a new session over a cap closes the least
 * recently used session (of that key, or of anyone) that is idle, that is, answering no request and holding no
 * stream open on any process; only when every candidate is busy does the least recently used busy one go. So a
 * flood of `initialize` calls costs at most the caps' worth of rows, and it pushes out its own sessions before a
 * working client's. A closed session's id is 404 from then on, and its client starts a new one.
 *
 * What stays with one process: the streams it holds (a tool call's answer, the standalone GET stream for
 * server-initiated messages) and refused MCP Tasks, which live in memory.
 */
export class McpHttpSessions {
  private readonly copies = new Map<string, Copy>();
  private readonly building = new Map<string, Promise<Copy | undefined>>();
  private readonly closedLately = new Map<string, number>();
  private readonly timers: NodeJS.Timeout[];
  private readonly idleMs: number;
  private readonly keepBuiltMs: number;
  private readonly caps: { perKey: number; inAll: number };
  private readonly modern: ModernHttp;
  private inFlight = 0;
  private whenNoneInFlight: (() => void)[] = [];
  private closing = false;

  constructor(private readonly options: McpHttpOptions) {
    this.idleMs = options.idleMs ?? 30 * 60_000;
    this.keepBuiltMs = Math.min(options.keepBuiltMs ?? 5 * 60_000, this.idleMs);
    this.caps = { perKey: options.maxSessionsPerKey ?? 50, inAll: options.maxSessions ?? 1000 };
    this.timers = [
      setInterval(() => void this.sweep(), Math.min(this.idleMs, this.keepBuiltMs, 60_000)),
      setInterval(() => void this.renewBusy(), BUSY_RENEW_MS),
    ];
    for (const timer of this.timers) timer.unref();
    this.modern = modernHttp(options);
  }

  /** Sessions whose server is built in this process now. */
  get size(): number {
    return this.copies.size;
  }

  /** Sessions answering a request or holding a stream open in this process now. */
  get busy(): number {
    let n = 0;
    for (const copy of this.copies.values()) if (copy.active > 0 || copy.clearing) n++;
    return n;
  }

  /** Sessions open over every API process, or one key's. */
  count(keyId?: string): Promise<number> {
    return countMcpSessions({ ctx: this.options.engine, keyId });
  }

  async handle(request: Request, caller: Caller): Promise<Response> {
    const sessionId = request.headers.get("mcp-session-id");
    if (sessionId) {
      if (request.method === "DELETE") return this.delete(sessionId, caller);
      // A GET is the standalone stream: busy from its start.
      const stream = request.method === "GET";
      if (stream && this.closing) throw stopping();
      const record = await useMcpSession({
        ctx: this.options.engine,
        caller,
        sessionId,
        busyForMs: stream ? BUSY_FOR_MS : undefined,
      });
      if (!record) {
        if (this.copies.has(sessionId)) this.forget(sessionId);
        return sessionNotFound();
      }
      const copy = await this.copyOf(record, caller, request);
      if (!copy) return sessionNotFound();
      if (stream) copy.marked = true;
      return this.serve(sessionId, copy, request);
    }
    const body = request.method === "POST" ? await readJson(request) : undefined;
    if (body === invalidJson) return jsonRpcError(400, -32700, "Parse error: the body is not JSON.");
    // Protocol 2026-07-28 (a request carrying the per-request `_meta` envelope) has no sessions at all.
    if (await isModernRequest(request, body)) return this.serveModern(request, body, caller);
    if (isInitializeRequest(body)) return this.open(request, body, caller);
    if (request.method !== "POST") {
      return jsonRpcError(405, -32000, "Without a session only POST is served; initialize to get a session.");
    }
    const server = createMcpServer(this.options.backendFor(caller, request), this.options);
    const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true });
    await server.connect(transport);
    const response = await transport.handleRequest(request, { parsedBody: body });
    await server.close();
    return response;
  }

  /** The session was closed (here or on another process): its server here, if any, goes with its streams. */
  forget(sessionId: string): void {
    this.closedLately.set(sessionId, Date.now());
    const copy = this.copies.get(sessionId);
    if (!copy) return;
    this.copies.delete(sessionId);
    this.closeCopy(sessionId, copy);
  }

  /** After news of closes may have been missed (the listening connection was down): drops servers of closed sessions. */
  async reconcile(): Promise<void> {
    const ids = [...this.copies.keys()];
    const open = await stillOpenMcpSessions({ ctx: this.options.engine, sessionIds: ids });
    for (const id of ids) if (!open.has(id)) this.forget(id);
  }

  /**
   * This process stops; the sessions stay open for the others. Standalone streams end at once (their clients
   * reconnect, through the load balancer, to another process); requests being answered may finish for up to
   * `graceMs`, then every server built here is closed.
   */
  async close(graceMs = 0): Promise<void> {
    this.closing = true;
    for (const timer of this.timers) clearInterval(timer);
    for (const copy of this.copies.values()) copy.transport.closeStandaloneSSEStream();
    if (this.inFlight > 0 && graceMs > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => this.whenNoneInFlight.push(resolve)),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, graceMs);
        }),
      ]);
      clearTimeout(timer);
    }
    const copies = [...this.copies];
    this.copies.clear();
    await Promise.all(copies.map(([, copy]) => copy.server.close().catch(() => {})));
    // Marks this process wrote would keep the sessions busy for a while on the other processes.
    await Promise.all(
      copies
        .filter(([, copy]) => copy.marked)
        .map(([id]) => releaseMcpSession({ ctx: this.options.engine, sessionId: id }).catch(() => {})),
    );
  }

  /** A 2026-07-28 request, counted in flight until its answer has ended, so a stopping process lets it finish. */
  private async serveModern(request: Request, body: unknown, caller: Caller): Promise<Response> {
    this.inFlight++;
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      if (--this.inFlight === 0) for (const resolve of this.whenNoneInFlight.splice(0)) resolve();
    };
    try {
      return whenBodyEnds(await this.modern(request, body, caller), end);
    } catch (error) {
      end();
      throw error;
    }
  }

  private async open(request: Request, body: InitializeRequest, caller: Caller): Promise<Response> {
    const sessionId = randomUUID();
    const { closed } = await openMcpSession({
      ctx: this.options.engine,
      caller,
      input: {
        id: sessionId,
        protocolVersion: body.params.protocolVersion,
        clientCapabilities: body.params.capabilities,
        clientInfo: body.params.clientInfo,
      },
      caps: this.caps,
      busyHere: this.busyIds(),
    });
    for (const id of closed) this.forget(id);
    const server = createMcpServer(this.options.backendFor(caller, request), this.options);
    const copy = this.adopt(sessionId, await connectSessionServer(server, sessionId));
    if (!copy) return sessionNotFound();
    return this.serve(sessionId, copy, request, body);
  }

  private async delete(sessionId: string, caller: Caller): Promise<Response> {
    const closed = await closeMcpSession({ ctx: this.options.engine, caller, sessionId });
    if (!closed) return sessionNotFound();
    this.forget(sessionId);
    return new Response(null, { status: 200 });
  }

  /** The session's server here, built (once, however many requests ask at the same time) if there is none. */
  private async copyOf(
    record: McpSessionRecord,
    caller: Caller,
    request: Request,
  ): Promise<Copy | undefined> {
    const id = record.id;
    const built = this.copies.get(id);
    if (built) return built;
    let building = this.building.get(id);
    if (!building) {
      const server = createMcpServer(this.options.backendFor(caller, request), this.options);
      building = connectSessionServer(server, id, { record, url: request.url }).then((made) =>
        this.adopt(id, made),
      );
      this.building.set(id, building);
      void building.then(
        () => this.building.delete(id),
        () => this.building.delete(id),
      );
    }
    return building;
  }

  /** Keeps a session's server here, unless the session was closed while it was being built. */
  private adopt(id: string, made: SessionServer): Copy | undefined {
    if (this.closedLately.has(id)) {
      made.server.close().catch(() => {});
      return undefined;
    }
    const copy: Copy = { ...made, lastUsed: Date.now(), active: 0, marked: false };
    this.copies.set(id, copy);
    return copy;
  }

  /** Answers a request of a session, which counts as busy until its answer (a stream, maybe) has ended. */
  private async serve(id: string, copy: Copy, request: Request, parsedBody?: unknown): Promise<Response> {
    copy.lastUsed = Date.now();
    copy.active++;
    this.inFlight++;
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      copy.active--;
      copy.lastUsed = Date.now();
      if (copy.active === 0 && copy.marked) {
        copy.marked = false;
        copy.clearing = releaseMcpSession({ ctx: this.options.engine, sessionId: id })
          .catch((error: unknown) => this.options.log?.(`releasing MCP session ${id}: ${error}`))
          .finally(() => {
            copy.clearing = undefined;
          });
      }
      if (--this.inFlight === 0) for (const resolve of this.whenNoneInFlight.splice(0)) resolve();
    };
    try {
      return whenBodyEnds(await copy.transport.handleRequest(request, { parsedBody }), end);
    } catch (error) {
      end();
      throw error;
    }
  }

  private busyIds(): string[] {
    return [...this.copies].filter(([, copy]) => copy.active > 0).map(([id]) => id);
  }

  /** Streams open here keep their sessions marked busy for the other processes' caps. */
  private async renewBusy(): Promise<void> {
    const ids = this.busyIds();
    if (ids.length === 0) return;
    for (const id of ids) this.copies.get(id)!.marked = true;
    await keepMcpSessionsBusy({ ctx: this.options.engine, sessionIds: ids, forMs: BUSY_FOR_MS }).catch(
      () => {}, // the database is away; the marks lapse, which only changes which session a cap closes first
    );
  }

  /** Closes sessions unused for idleMs (on any process) and drops servers unused here for keepBuiltMs. */
  private async sweep(): Promise<void> {
    const now = Date.now();
    for (const [id, at] of this.closedLately) if (now - at > CLOSED_KEPT_MS) this.closedLately.delete(id);
    for (const [id, copy] of this.copies) {
      if (copy.active === 0 && !copy.clearing && now - copy.lastUsed > this.keepBuiltMs) {
        this.copies.delete(id);
        this.closeCopy(id, copy);
      }
    }
    try {
      const closed = await closeIdleMcpSessions({ ctx: this.options.engine, idleMs: this.idleMs });
      for (const id of closed) this.forget(id);
    } catch {
      // The database is away: the next sweep closes them.
    }
  }

  private closeCopy(id: string, copy: Copy): void {
    // Closing the server closes its transport: open streams end and pending requests are answered.
    copy.server.close().catch((error: unknown) => this.options.log?.(`closing MCP session ${id}: ${error}`));
  }
}

function stopping(): AppError {
  return new AppError(
    "service_unavailable",
    "This API process is stopping; reconnect and another one answers.",
    {
      retryAfterSeconds: 1,
    },
  );
}
