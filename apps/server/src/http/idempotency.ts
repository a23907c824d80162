import { AppError } from "@mcpmediaengine/contract";
import {
  bodyValue,
  checkIdempotencyKey,
  type EngineContext,
  finishIdempotent,
  requestHash,
  startIdempotent,
} from "@mcpmediaengine/engine";
import type { MiddlewareHandler } from "hono";
import { errorResponse } from "./error-response";
import { IDEMPOTENT_ROUTES } from "./idempotent-operations";
import type { AppEnv } from "./rate-limit";

/**
 * `Idempotency-Key` on the requests that change something, where a retry must not do it twice (IDEMPOTENT_ROUTES:
 * cancels, webhook endpoint creation, secret rotation, replays and redeliveries): the same key with the same request within 24 hours gets the
 * first response again (marked `Idempotent-Replayed: true`) and changes nothing; the same key with another
 * request is 409 `idempotency_conflict`; concurrent requests with one key run once, the others wait for its
 * response. Runs after the rate limiter, which resolved the caller.
 */
export function idempotency(engine: EngineContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.req.header("idempotency-key");
    const caller = c.get("caller");
    if (
      key === undefined ||
      !caller ||
      !IDEMPOTENT_ROUTES.some((r) => r.method === c.req.method && r.pattern.test(c.req.path))
    ) {
      return next();
    }
    const requestId = c.get("requestId");
    let start: Awaited<ReturnType<typeof startIdempotent>>;
    try {
      checkIdempotencyKey(key);
      const body = bodyValue(await c.req.raw.clone().text());
      const hash = requestHash(`${c.req.method} ${c.req.path}`, body);
      start = await startIdempotent({ ctx: engine, caller, key, requestHash: hash });
    } catch (error) {
      if (error instanceof AppError) return errorResponse(error, requestId);
      throw error;
    }
    if (start.kind === "replay") {
      return new Response(start.body, {
        status: start.status,
        headers: {
          "content-type": "application/json",
          "idempotent-replayed": "true",
          "x-request-id": requestId,
        },
      });
    }
    try {
      await next();
    } catch (error) {
      await finishIdempotent({ ctx: engine, caller, key, response: { status: 500, body: "" } });
      throw error;
    }
    await finishIdempotent({
      ctx: engine,
      caller,
      key,
      response: { status: c.res.status, body: await c.res.clone().text() },
    });
  };
}
