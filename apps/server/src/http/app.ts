import { AppError } from "@mcpmediaengine/contract";
import {
  type Caller,
  checkReadiness,
  type EngineContext,
  isConnectionError,
  type Log,
  type OAuthSettings,
} from "@mcpmediaengine/engine";
import {
  type McpHttpSessions,
  type McpSseSessions,
  mcpOriginGuard,
  type OriginGuardOptions,
} from "@mcpmediaengine/mcp";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { TrpcContext } from "../trpc/context";
import { DATABASE_RETRY_AFTER_SECONDS, databaseUnavailable, toAppError } from "../trpc/errors";
import { appRouter } from "../trpc/router";
import { serveAsset } from "./assets";
import { type AccountsOptions, authRoutes } from "./auth-routes";
import { createConsoleHandler, findConsoleDir } from "./console";
import { cookieAuth } from "./cookie-auth";
import { discoveryRoutes } from "./discovery";
import { docsAsset, docsPage } from "./docs";
import { errorResponse } from "./error-response";
import { idempotency } from "./idempotency";
import { jobEventRoutes } from "./job-events";
import { ledgerCsv } from "./ledger-csv";
import { metricsPage } from "./metrics-page";
import { mcpBearer, mcpUnauthorized } from "./oauth/mcp-bearer";
import { oauthRoutes } from "./oauth/routes";
import { observeRequests } from "./observe";
import { buildOpenApiDocument } from "./openapi";
import { type AppEnv, type RateLimitOptions, rateLimit } from "./rate-limit";
import { handleRest } from "./rest";
import { securityHeaderValues } from "./security-headers";
import { stripeWebhook } from "./stripe-webhook";
import { UPLOAD_BODY_LIMIT, uploadBytes } from "./uploads";

export interface AppOptions {
  engine: EngineContext;
  log: Log;
  /** Base of the URLs we hand out; each request's own origin when unset. */
  publicUrl?: string;
  /** MME_ADMIN_TOKEN: turns the admin API on. */
  adminToken?: string;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes?: number;
  /** The same for POST /v1/batch; 8 MiB unless given. */
  maxBatchBodyBytes?: number;
  /** MCP's Streamable HTTP sessions, served at /mcp. */
  mcp?: McpHttpSessions;
  /** Which Origin and Host headers /mcp accepts (DNS rebinding protection); MME_PUBLIC_URL's origin alone when unset. */
  mcpOrigins?: Omit<OriginGuardOptions, "publicUrl">;
  /** MCP's older HTTP+SSE transport (2024-11-05), served at /sse and /messages. */
  sse?: McpSseSessions;
  /** The OAuth authorization server of the MCP endpoints (/.well-known/oauth-*, /oauth/*); off when unset. */
  oauth?: OAuthSettings;
  /** How requests without a valid key are limited per client address. */
  rateLimit?: RateLimitOptions;
  /** Set when the process has begun to stop: /readyz answers 503 so load balancers send nothing new. */
  draining?: () => boolean;
  /**
   * GET /metrics on this app, behind the token when one is given (MME_METRICS_TOKEN); not served when false
   * (metrics off, or served on a port of their own).
   */
  metrics?: { token?: string } | false;
  /** Sign-up, browser sessions and their limits (/auth). */
  accounts?: AccountsOptions;
  /** Origins the console may load images, video and audio from besides our own (a presigned store's). */
  mediaOrigins?: string[];
  /** Aborted when the process stops: ends the live streams (tRPC subscriptions) still open. */
  streams?: AbortSignal;
  /** The web console's build folder; found beside the server when not given. */
  consoleDir?: string;
}

/**
 * The HTTP host: REST under /v1, tRPC under /trpc, sign-up and sessions under /auth, the OpenAPI document and its
 * reference page, assets.
 */
export function createApp(options: AppOptions): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const baseUrlOf = (request: Request) => options.publicUrl ?? new URL(request.url).origin;
  const contextOf = (c: Context<AppEnv>): TrpcContext => ({
    engine: options.engine,
    log: options.log,
    requestId: c.get("requestId"),
    scope: { baseUrl: baseUrlOf(c.req.raw) },
    authorization: c.req.raw.headers.get("authorization"),
    adminToken: options.adminToken,
    caller: c.get("caller"),
    session: c.get("session"),
    sessionEnded: c.get("sessionEnded"),
    databaseDown: c.get("databaseDown"),
    idempotencyKey: c.req.raw.headers.get("idempotency-key") ?? undefined,
    responseHeaders: new Headers(),
    streams: options.streams,
  });

  app.use("*", observeRequests(options.engine.metrics, options.log));
  app.use("*", async (c, next) => {
    await next();
    // While draining, no connection is kept for a next request: it would meet the socket as the server closes it.
    if (options.draining?.()) c.res.headers.set("connection", "close");
  });
  const limitTo = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: (c) => {
        const response = errorResponse(
          new AppError(
            "payload_too_large",
            `The request body is larger than ${maxSize >= 1024 * 1024 ? `${maxSize / 1024 / 1024} MiB` : `${maxSize / 1024} KiB`}.`,
          ),
          c.get("requestId"),
        );
        // The rest of the body is never read, so the connection cannot carry another request: say so, or a
        // keep-alive client sends its next request into a socket the server is about to drop.
        response.headers.set("connection", "close");
        return response;
      },
    });
  const limit = limitTo(options.maxBodyBytes ?? 1024 * 1024);
  // 500 items of up to 4,000-character prompts need more room than one job.
  const batchLimit = limitTo(options.maxBatchBodyBytes ?? 8 * 1024 * 1024);

  // Liveness: the process answers. A lost database is not a reason to restart it (it rides outages out).
  app.get("/healthz", (c) => c.json({ ok: true }));
  // Readiness, for load balancers: send requests here only while it is 200.
  app.get("/readyz", async (c) => {
    const draining = options.draining?.() ?? false;
    const checks = await checkReadiness({ ctx: options.engine });
    const ok = !draining && checks.database && checks.storage && checks.migrations;
    return c.json({ ok, ...checks, draining }, ok ? 200 : 503);
  });
  if (options.metrics && options.engine.metrics.enabled) {
    const page = metricsPage(options.engine.metrics, options.metrics.token);
    app.get("/metrics", (c) => page(c.req.raw, c.get("requestId")));
  }
  app.get("/openapi.json", (c) => c.json(buildOpenApiDocument(baseUrlOf(c.req.raw))));
  app.get("/docs", () => docsPage());
  app.get("/docs/static/:name", async (c) => (await docsAsset(c.req.param("name"))) ?? c.notFound());
  app.get("/assets/:file", (c) => serveAsset(options.engine, c.req.raw, c.req.param("file")));
  const limited = rateLimit(options.engine, options.rateLimit);
  // A browser session stands in for an API key on /v1 and /trpc (not on /mcp), its caller resolved before the
  // rate limiter counts it.
  const sessions = cookieAuth(options.engine, options.publicUrl);
  app.use("/v1/*", sessions);
  app.use("/trpc/*", sessions);
  // Stripe signs the raw body: the route reads it as text, whole, before anything parses it.
  app.post("/billing/stripe/webhook", limitTo(512 * 1024), stripeWebhook(options.engine, options.log));
  app.use("/auth/*", limitTo(16 * 1024));
  app.route(
    "/auth",
    authRoutes(options.engine, {
      ...options.accounts,
      publicUrl: options.publicUrl,
      trustedProxies: options.rateLimit?.trustedProxies,
    }),
  );
  if (options.oauth) {
    app.use("/oauth/*", limitTo(64 * 1024));
    app.route(
      "/",
      oauthRoutes(options.engine, options.oauth, {
        publicUrl: options.publicUrl,
        trustedProxies: options.rateLimit?.trustedProxies,
      }),
    );
  }
  app.route("/", discoveryRoutes({ publicUrl: options.publicUrl, oauth: options.oauth !== undefined }));
  const trpc = (c: Context<AppEnv>) =>
    fetchRequestHandler({
      endpoint: "/trpc",
      req: c.req.raw,
      router: appRouter,
      createContext: () => contextOf(c),
      responseMeta: ({ ctx, errors }) => {
        const headers = ctx?.responseHeaders ?? new Headers();
        if (errors.some((e) => toAppError(e).appError.code === "service_unavailable"))
          headers.set("retry-after", String(DATABASE_RETRY_AFTER_SECONDS));
        return { headers };
      },
    });
  app.all("/trpc/batches.create", batchLimit, limited, trpc);
  app.all("/trpc/*", limit, limited, trpc);
  const rest = (c: Context<AppEnv>) => handleRest(c.req.raw, contextOf(c));
  app.all("/v1/batch", batchLimit, limited, rest);
  app.get("/v1/credits/ledger", limit, limited, ledgerCsv(options.engine), rest);
  app.post("/v1/uploads", limitTo(UPLOAD_BODY_LIMIT), limited, uploadBytes(options.engine, rest));
  // Which pages may call MCP (DNS rebinding protection), checked before the key: a rebound page must learn
  // nothing, not even whether a key is valid. The same for the older HTTP+SSE transport.
  const guard = mcpOriginGuard({
    allowedOrigins: [],
    loopback: false,
    ...options.mcpOrigins,
    publicUrl: options.publicUrl,
  });
  const originCheck: MiddlewareHandler<AppEnv> = async (c, next) => {
    const refused = guard(c.req.raw);
    if (refused) return errorResponse(refused, c.get("requestId"));
    await next();
  };
  // MCP over HTTP takes an API key or an OAuth access token issued for it (mcpBearer). A request whose key cannot
  // be checked (database away) is HTTP 503 with Retry-After; a tool that meets the outage later answers with an
  // isError result coded service_unavailable. A 401 carries the challenge that starts OAuth discovery.
  const bearer: MiddlewareHandler<AppEnv> = options.oauth
    ? mcpBearer(options.engine, options.publicUrl)
    : (_c, next) => next();
  const mcpCaller = (c: Context<AppEnv>): Caller | Response => {
    const caller = c.get("caller");
    if (!caller && c.get("databaseDown")) return errorResponse(databaseUnavailable(), c.get("requestId"));
    if (!caller) {
      return mcpUnauthorized(c.get("requestId"), c.req.raw, {
        publicUrl: options.publicUrl,
        oauth: options.oauth !== undefined,
      });
    }
    return caller;
  };
  const mcp = options.mcp;
  if (mcp) {
    app.all("/mcp", originCheck, limit, bearer, limited, (c) => {
      const caller = mcpCaller(c);
      return caller instanceof Response ? caller : mcp.handle(c.req.raw, caller);
    });
  }
  const sse = options.sse;
  if (sse) {
    app.get("/sse", originCheck, bearer, limited, (c) => {
      const caller = mcpCaller(c);
      return caller instanceof Response ? caller : sse.open(c.req.raw, caller);
    });
    app.post("/messages", originCheck, limit, bearer, limited, (c) => {
      const caller = mcpCaller(c);
      return caller instanceof Response ? caller : sse.post(c.req.raw, caller);
    });
  }
  // Server-Sent Events, before /v1/* (where /v1/jobs/events would read as the job "events").
  const events = jobEventRoutes({ engine: options.engine, baseUrlOf, streams: options.streams });
  app.get("/v1/jobs/events", limited, events.batch);
  app.get("/v1/jobs/:jobId/events", limited, events.job);
  // The operator's API is not an API key's: it is not rate limited.
  app.all("/v1/admin/*", limit, rest);
  app.all("/v1/*", limit, limited, idempotency(options.engine), rest);

  // The web console, last: every route above wins, and the API's prefixes never fall through to it.
  const consolePage = createConsoleHandler({
    dir: findConsoleDir(options.consoleDir),
    headers: securityHeaderValues({
      mediaOrigins: [
        ...(options.publicUrl ? [new URL(options.publicUrl).origin] : []),
        ...(options.mediaOrigins ?? []),
      ],
    }),
  });
  app.get("*", async (c) => (await consolePage(c.req.raw)) ?? c.notFound());

  app.notFound((c) =>
    errorResponse(new AppError("not_found", "No such endpoint. See /docs for the API."), c.get("requestId")),
  );
  app.onError((error, c) => {
    const requestId = c.get("requestId");
    if (error instanceof AppError) return errorResponse(error, requestId);
    // The outage itself is logged once by the process's DatabaseWatch, not per request.
    if (isConnectionError(error)) return errorResponse(databaseUnavailable(), requestId);
    options.log.error("unexpected error", { requestId, error: String(error) });
    return errorResponse(new AppError("internal_error", "Something went wrong on our side."), requestId);
  });
  return app;
}
