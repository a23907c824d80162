import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { checkRequest, type Provider, providerOperations } from "./provider-check";

/** A request the fake received, kept for assertions. */
export interface RecordedRequest {
  method: string;
  /** Path with the query, as sent. */
  path: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
  json(): unknown;
  /** The body parsed as multipart/form-data (or urlencoded). */
  formData(): Promise<FormData>;
  /** How the exchange ended: the fake answered, or the client closed the connection before it did. */
  outcome: Promise<"answered" | "hung-up">;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string or Buffer as is. */
  body?: unknown;
  /** Never answer: only the client's own timeout or abort ends the exchange, however busy the machine. */
  never?: true;
}

export type Responder = Reply | ((request: RecordedRequest, server: FakeServer) => Reply | Promise<Reply>);

export interface FakeServer {
  /** Like "http://127.0.0.1:PORT", without a trailing slash. */
  url: string;
  requests: RecordedRequest[];
  /** How received requests break the definition of the provider the fake plays, one line each. */
  problems: string[];
  /** Answers METHOD PATH with the responders in turn; the last one answers every later call. */
  route(method: string, pathname: string, ...responders: Responder[]): void;
  /** Resolves once a request for the path has arrived. */
  waitForRequest(method: string, pathname: string): Promise<RecordedRequest>;
  /** Stops the server; rejects, listing them, when a received request broke the provider's definition. */
  close(): Promise<void>;
}

export interface FakeServerOptions {
  /** The provider the fake plays: every request it receives is checked against that provider's definition. */
  provider?: Provider;
}

export async function startFakeServer(options: FakeServerOptions = {}): Promise<FakeServer> {
  const routes = new Map<string, { responders: Responder[]; calls: number }>();
  const waiters: { key: string; resolve: (request: RecordedRequest) => void }[] = [];
  const requests: RecordedRequest[] = [];
  const problems: string[] = [];
  const operations = options.provider && providerOperations(options.provider);
  let fake: FakeServer;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const url = new URL(req.url ?? "/", fake.url);
      const body = Buffer.concat(chunks);
      const headers = req.headers;
      const outcome = new Promise<"answered" | "hung-up">((resolve) =>
        res.once("close", () => resolve(res.writableFinished ? "answered" : "hung-up")),
      );
      const recorded: RecordedRequest = {
        outcome,
        method: req.method ?? "GET",
        path: req.url ?? "/",
        url,
        headers,
        body,
        json: () => JSON.parse(body.toString("utf8")),
        formData: () =>
          new Response(body, { headers: { "content-type": String(headers["content-type"]) } }).formData(),
      };
      requests.push(recorded);
      const key = `${recorded.method} ${url.pathname}`;
      for (const waiter of waiters.filter((w) => w.key === key)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(recorded);
      }
      if (operations) {
        problems.push(
          ...(await checkRequest(operations, recorded).catch((error: Error) => [
            `the check failed: ${error.message}`,
          ])),
        );
      }

      const route = routes.get(key);
      let reply: Reply;
      if (!route) {
        reply = { status: 404, body: { error: `no route for ${key}` } };
      } else {
        const responder = route.responders[Math.min(route.calls, route.responders.length - 1)]!;
        route.calls += 1;
        reply = typeof responder === "function" ? await responder(recorded, fake) : responder;
      }

      const send = () => {
        if (res.destroyed) return;
        const isRaw = typeof reply.body === "string" || Buffer.isBuffer(reply.body);
        const payload =
          reply.body === undefined
            ? ""
            : isRaw
              ? (reply.body as string | Buffer)
              : JSON.stringify(reply.body);
        const contentType = isRaw ? "application/octet-stream" : "application/json";
        res.writeHead(reply.status ?? 200, { "content-type": contentType, ...reply.headers });
        res.end(payload);
      };
      // A request never answered ends only when the client gives up (or the fake closes).
      if (!reply.never) send();
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  fake = {
    url: `http://127.0.0.1:${port}`,
    requests,
    problems,
    route(method, pathname, ...responders) {
      if (responders.length === 0) throw new Error("a route needs at least one responder");
      routes.set(`${method} ${pathname}`, { responders, calls: 0 });
    },
    waitForRequest(method, pathname) {
      const key = `${method} ${pathname}`;
      const seen = requests.find((r) => `${r.method} ${r.url.pathname}` === key);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ key, resolve }));
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (problems.length > 0) {
        throw new Error(
          `${options.provider}'s definition refuses what the fake received:\n${problems.map((p) => `- ${p}`).join("\n")}`,
        );
      }
    },
  };
  return fake;
}

/** A JSON answer. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, body, headers };
}

/** A request the fake receives and never answers. */
export const neverAnswer: Reply = { never: true };

/** Raw bytes with a content type. */
export function bytes(
  data: Buffer | string,
  contentType: string,
  headers: Record<string, string> = {},
): Reply {
  return { status: 200, body: data, headers: { "content-type": contentType, ...headers } };
}

export function rateLimited(retryAfter: string, body: unknown = { error: "rate limited" }): Reply {
  return { status: 429, body, headers: { "retry-after": retryAfter } };
}

/** A body that claims to be JSON but is cut off. */
export function truncatedJson(status = 200): Reply {
  return { status, body: '{"data": [{"b64_json": "iVBOR', headers: { "content-type": "application/json" } };
}
