import { createHash } from "node:crypto";
import { AppError } from "@mcpmediaengine/contract";
import { type EngineContext, finishIdempotent, startIdempotent } from "@mcpmediaengine/engine";
import type { MiddlewareHandler } from "hono";
import { errorResponse } from "./error-response";
import type { AppEnv } from "./rate-limit";

// The requests that create or change something, where a retry must not do it twice.
const IDEMPOTENT = [/^\/v1\/jobs$/, /^\/v1\/jobs\/[^/]+\/cancel$/, /^\/v1\/batch$/];
const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * `Idempotency-Key` on POST /v1/jobs, POST /v1/batch and cancel: the same key with the same request within 24
 * hours gets the first response again (marked `Idempotent-Replayed: true`) and changes nothing; the same key with
 * another request is 409 `idempotency_conflict`; concurrent requests with one key run once, the others wait for
 * its response. Runs after the rate limiter, which resolved the caller.
 */
export function idempotency(engine: EngineContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.req.header("idempotency-key");
    const caller = c.get("caller");
    if (
      key === undefined ||
      !caller ||
      c.req.method !== "POST" ||
      !IDEMPOTENT.some((p) => p.test(c.req.path))
    ) {
      return next();
    }
    const requestId = c.get("requestId");
    if (!KEY.test(key)) {
      return errorResponse(
        new AppError("invalid_request", "Idempotency-Key must be 1 to 255 visible ASCII characters."),
        requestId,
      );
    }
    const body = await c.req.raw.clone().text();
    const requestHash = createHash("sha256")
      .update(`${c.req.method} ${c.req.path}\n${canonical(body)}`)
      .digest("hex");
    let start: Awaited<ReturnType<typeof startIdempotent>>;
    try {
      start = await startIdempotent({ ctx: engine, caller, key, requestHash });
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

/** JSON compared by value, not by spelling: key order and spacing do not make a different request. */
function canonical(body: string): string {
  try {
    return JSON.stringify(sortKeys(JSON.parse(body)));
  } catch {
    return body;
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}
