import { AppError } from "@mcpmediaengine/contract";
import { type EngineContext, isConnectionError, resolveSession } from "@mcpmediaengine/engine";
import type { MiddlewareHandler } from "hono";
import { errorResponse } from "./error-response";
import { changesState, isOwnOrigin } from "./origin";
import type { AppEnv } from "./rate-limit";
import { readSessionCookie } from "./session-cookie";

/**
 * A browser session stands in for an API key: a request with no Authorization header and a session cookie is
 * made by the session's account (its caller is set here, before the rate limiter, which then counts it like a key).
 * Every state-changing request the cookie authenticates must come from our own origin (CSRF); a request with an
 * Authorization header is never cookie-authenticated (a page of another site cannot set that header on ours), so
 * it skips the check. A cookie that names no live session is ignored, the request flagged `sessionEnded` so the
 * 401 says why.
 */
export function cookieAuth(engine: EngineContext, publicUrl?: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.header("authorization") !== undefined) return next();
    const token = readSessionCookie(c);
    if (token === undefined) return next();
    if (changesState(c.req.method) && !isOwnOrigin(c.req.raw, publicUrl)) {
      return errorResponse(
        new AppError(
          "cross_origin_request",
          "A request made with the session cookie must come from this server's own pages (its Origin header did not match).",
        ),
        c.get("requestId"),
      );
    }
    try {
      const resolved = await resolveSession({ ctx: engine, token });
      if (resolved) {
        c.set("caller", resolved.caller);
        c.set("session", resolved.session);
      } else c.set("sessionEnded", true);
    } catch (error) {
      if (!isConnectionError(error)) throw error;
      c.set("databaseDown", true);
    }
    return next();
  };
}
