import type { HttpBindings } from "@hono/node-server";
import { AppError, type Session } from "@mcpmediaengine/contract";
import {
  authenticate,
  type Caller,
  type EngineContext,
  isConnectionError,
  type RateLimitDecision,
  takeRequest,
} from "@mcpmediaengine/engine";
import type { Context, MiddlewareHandler } from "hono";
import { clientKey, TrustedProxies } from "./client-address";
import { errorResponse } from "./error-response";
import { FailedAuthLimiter } from "./failed-auth-limiter";

// Bindings are absent when the app is called without @hono/node-server (app.request in tests).
export type AppEnv = {
  Variables: {
    requestId: string;
    caller?: Caller;
    /** The browser session that authenticated the request (see cookie-auth.ts). */
    session?: Session;
    /** The request's session cookie names a session that has ended (signed out, expired, key revoked). */
    sessionEnded?: boolean;
    /** The database could not be reached while resolving the key: the transport answers 503. */
    databaseDown?: boolean;
  };
  Bindings: Partial<HttpBindings>;
};

export interface RateLimitOptions {
  /** Requests without a valid key one client may make a minute (MME_UNAUTHENTICATED_RATE_LIMIT). */
  unauthenticatedPerMinute?: number;
  /** Proxies whose X-Forwarded-For names the client (MME_TRUSTED_PROXIES). */
  trustedProxies?: TrustedProxies;
}

export const DEFAULT_UNAUTHENTICATED_PER_MINUTE = 120;

/**
 * Every request made with an API key counts against the key's requests per minute. The answer carries the
 * IETF draft's `RateLimit-Policy` and `RateLimit` headers; over the limit it is 429 `rate_limited` with
 * `Retry-After`. The caller resolved here is handed on, so the procedure does not resolve the key again.
 *
 * A request without a valid key (missing, malformed, unknown or revoked) goes on to be refused with 401 by the
 * procedure itself, and counts against its client address (see clientKey): past the allowance it is 429
 * `rate_limited` instead, and until the allowance refills that address's keys are looked up in the key cache only,
 * so a flood of bad keys costs no database round trips while the address's valid, cached keys still work. A
 * request with a valid key never pays for the address: it is worked out only once the address has failures.
 * While the database is away the request goes on unresolved, flagged `databaseDown`: each transport then answers
 * 503 in its own shape. A caller already resolved from a browser session (cookie-auth.ts) is counted as it is.
 */
export function rateLimit(engine: EngineContext, options: RateLimitOptions = {}): MiddlewareHandler<AppEnv> {
  const failures = new FailedAuthLimiter(
    options.unauthenticatedPerMinute ?? DEFAULT_UNAUTHENTICATED_PER_MINUTE,
  );
  const trusted = options.trustedProxies ?? new TrustedProxies();
  const clientOf = (c: Context<AppEnv>) =>
    clientKey(c.env?.incoming?.socket.remoteAddress, c.req.header("x-forwarded-for"), trusted);
  return async (c, next) => {
    const databaseDown = (error: unknown) => {
      if (!isConnectionError(error)) throw error;
      c.set("databaseDown", true);
      return next();
    };
    if (c.get("databaseDown")) return next();
    let caller = c.get("caller");
    if (!caller) {
      const client = failures.empty ? undefined : clientOf(c);
      const blockedFor = client === undefined ? 0 : failures.waitSeconds(client);
      try {
        caller = await authenticate({
          ctx: engine,
          authorization: c.req.header("authorization"),
          cachedOnly: blockedFor > 0,
        });
      } catch (error) {
        if (!(error instanceof AppError)) return databaseDown(error);
        const wait = blockedFor || failures.fail(client ?? clientOf(c));
        if (wait === 0) return next();
        return errorResponse(
          new AppError(
            "rate_limited",
            `Too many requests without a valid API key from this address: ${failures.allowance} a minute are answered. Try again in ${wait} s.`,
            { limit: failures.allowance, retryAfterSeconds: wait },
          ),
          c.get("requestId"),
          {
            "ratelimit-policy": `"per-address";q=${failures.allowance};w=60`,
            ratelimit: `"per-address";r=0;t=${wait}`,
            "retry-after": String(wait),
          },
        );
      }
    }
    let decision: RateLimitDecision;
    try {
      decision = await takeRequest({ ctx: engine, caller });
    } catch (error) {
      return databaseDown(error);
    }
    c.set("caller", caller);
    const headers = rateLimitHeaders(decision);
    if (!decision.allowed) {
      return errorResponse(
        new AppError(
          "rate_limited",
          `This key may make ${decision.limit} requests a minute; try again in ${decision.resetSeconds} s.`,
          { limit: decision.limit, retryAfterSeconds: decision.resetSeconds },
        ),
        c.get("requestId"),
        { ...headers, "retry-after": String(decision.resetSeconds) },
      );
    }
    await next();
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
  };
}

/** draft-ietf-httpapi-ratelimit-headers: the policy (quota per window) and what is left of it now. */
export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  return {
    "ratelimit-policy": `"per-key";q=${decision.limit};w=${decision.windowSeconds}`,
    ratelimit: `"per-key";r=${decision.remaining};t=${decision.resetSeconds}`,
  };
}
