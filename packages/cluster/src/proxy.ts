import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from "node:http";

export interface ProxyCounts {
  /** Requests the proxy received. */
  received: number;
  /** Those a backend answered (any status), the proxy's own refusals excluded. */
  answered: number;
  /** Answers with a 5xx status, the proxy's own 502 and 503 included. */
  serverErrors: number;
  /** Requests sent again to another backend after the first refused the connection. */
  retried: number;
  /** Each 5xx, for the report: `503 POST /v1/jobs`. */
  errors: string[];
}

/** How often each backend's /readyz is asked. */
const CHECK_EVERY_MS = 250;

/**
 * A small load balancer, as the reverse proxy of a deployment is set up: round robin over the backends whose
 * `GET /readyz` answered 200 at the last check (every 250 ms), so a process that is draining, starting or down
 * gets nothing new. A request whose connection is refused, or whose reused keep-alive connection was closed
 * before it was sent (nothing reached a backend either way), goes to the next ready backend. Answers are
 * streamed through as they come (SSE included). X-Forwarded-For names the client.
 */
export class LoadBalancer {
  readonly counts: ProxyCounts = { received: 0, answered: 0, serverErrors: 0, retried: 0, errors: [] };
  private readonly ready = new Set<string>();
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private server: Server | undefined;
  private checker: NodeJS.Timeout | undefined;
  private turn = 0;

  constructor(private readonly backends: readonly string[]) {}

  /** Backends ready at the last check. */
  isReady(backend: string): boolean {
    return this.ready.has(backend);
  }

  async listen(port = 0): Promise<string> {
    await this.check();
    this.checker = setInterval(() => void this.check(), CHECK_EVERY_MS);
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  }

  async close(): Promise<void> {
    clearInterval(this.checker);
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
    this.agent.destroy();
  }

  private async check(): Promise<void> {
    await Promise.all(
      this.backends.map(async (backend) => {
        try {
          const response = await fetch(`${backend}/readyz`, { signal: AbortSignal.timeout(1000) });
          await response.arrayBuffer();
          if (response.status === 200) this.ready.add(backend);
          else this.ready.delete(backend);
        } catch {
          this.ready.delete(backend);
        }
      }),
    );
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.counts.received++;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const tried = new Set<string>();
    for (;;) {
      const backend = this.pick(tried);
      if (!backend) {
        this.refuse(res, req, 503, "no backend is ready");
        return;
      }
      tried.add(backend);
      const outcome = await this.forward(backend, req, body, res);
      if (outcome === "answered") return;
      // Nothing reached that backend: it is down until its next good check.
      this.ready.delete(backend);
      this.counts.retried++;
    }
  }

  private pick(tried: Set<string>): string | undefined {
    const candidates = this.backends.filter((b) => this.ready.has(b) && !tried.has(b));
    if (candidates.length === 0) return undefined;
    return candidates[this.turn++ % candidates.length];
  }

  /** "unsent" when the backend never got the request (connection refused, or a keep-alive socket it had closed). */
  private forward(
    backend: string,
    req: IncomingMessage,
    body: Buffer,
    res: ServerResponse,
  ): Promise<"answered" | "unsent"> {
    const target = new URL(req.url ?? "/", backend);
    const { connection: _, ...incoming } = req.headers;
    const headers: OutgoingHttpHeaders = {
      ...incoming,
      host: target.host,
      "x-forwarded-for": req.socket.remoteAddress ?? "127.0.0.1",
      "content-length": String(body.length),
    };
    return new Promise((resolve) => {
      const upstream = httpRequest(
        {
          agent: this.agent,
          hostname: target.hostname,
          port: target.port,
          path: target.pathname + target.search,
          method: req.method,
          headers,
        },
        (answer) => {
          const status = answer.statusCode ?? 502;
          this.counts.answered++;
          if (status >= 500) this.noteError(status, req);
          const { connection: __, ...answerHeaders } = answer.headers;
          res.writeHead(status, answerHeaders);
          answer.pipe(res);
          // A client gone mid-stream (an SSE stream it closed) ends the backend's answer too.
          res.once("close", () => answer.destroy());
          resolve("answered");
        },
      );
      upstream.on("error", (error: NodeJS.ErrnoException) => {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        const unsent =
          error.code === "ECONNREFUSED" || (error.code === "ECONNRESET" && upstream.reusedSocket === true);
        if (unsent) resolve("unsent");
        else {
          this.refuse(res, req, 502, `backend ${backend} failed: ${error.code ?? error.message}`);
          resolve("answered");
        }
      });
      upstream.end(body);
    });
  }

  private refuse(res: ServerResponse, req: IncomingMessage, status: number, message: string): void {
    this.noteError(status, req);
    res.writeHead(status, { "content-type": "application/json", "retry-after": "1" });
    res.end(JSON.stringify({ error: { code: "service_unavailable", message } }));
  }

  private noteError(status: number, req: IncomingMessage): void {
    this.counts.serverErrors++;
    if (this.counts.errors.length < 50) this.counts.errors.push(`${status} ${req.method} ${req.url}`);
  }
}
