import { AppError } from "@mcpmediaengine/contract";
import {
  authenticate,
  type Caller,
  type EngineContext,
  isConnectionError,
  type RateLimitDecision,
  takeRequest,
} from "@mcpmediaengine/engine";
import type { MiddlewareHandler } from "hono";
import { errorResponse } from "./error-response";

export type AppEnv = {
  Variables: {
    requestId: string;
    caller?: Caller;
    /** The database could not be reached while resolving the key: the transport answers 503. */
    databaseDown?: boolean;
  };
};

/**
 * Every request made with an API key counts against the key's requests per minute. The answer carries the
 * IETF draft's `RateLimit-Policy` and `RateLimit` headers; over the limit it is 429 `rate_limited` with
 * `Retry-After`. The caller resolved here is handed on, so the procedure does not resolve the key again. A request
 * without a valid key goes on to be refused with 401 by the procedure itself. While the database is away the
 * request goes on unresolved too, flagged `databaseDown`: each transport then answers 503 in its own shape.
 */
export function rateLimit(engine: EngineContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const databaseDown = (error: unknown) => {
      if (!isConnectionError(error)) throw error;
      c.set("databaseDown", true);
      return next();
    };
    let caller: Caller;
    try {
      caller = await authenticate({ ctx: engine, authorization: c.req.header("authorization") });
    } catch (error) {
      if (error instanceof AppError) return next();
      return databaseDown(error);
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
