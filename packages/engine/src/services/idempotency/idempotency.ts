import { AppError } from "@mcpmediaengine/contract";
import type { Caller, EngineContext } from "../../context";
import { findKey, releaseKey } from "../../repositories/idempotency-keys";

export type IdempotentStart = { kind: "run" } | { kind: "replay"; status: number; body: string };

/**
 * The start of a request sent with an Idempotency-Key. The first request with a key runs ("run"); a retry with
 * the same request gets the first response back ("replay"), waiting while the first is still running; the same
 * key with a different request is a 409 `idempotency_conflict`. Keys are the caller's account's and last 24 hours.
 */
export async function startIdempotent(args: {
  ctx: EngineContext;
  caller: Caller;
  key: string;
  requestHash: string;
  waitMs?: number;
}): Promise<IdempotentStart> {
  const { ctx, caller, key, requestHash } = args;
  const deadline = Date.now() + (args.waitMs ?? 30_000);
  for (let pause = 10; ; pause = Math.min(pause * 2, 250)) {
    if (await ctx.idempotency.claim({ accountId: caller.accountId, key, requestHash }))
      return { kind: "run" };
    const existing = await findKey(ctx.db, caller.accountId, key);
    if (!existing) continue; // released between the two statements: try to claim it again
    if (existing.request_hash !== requestHash) {
      throw new AppError(
        "idempotency_conflict",
        "This Idempotency-Key was used with a different request in the last 24 hours. Use a new key.",
      );
    }
    if (existing.response_status !== null) {
      return { kind: "replay", status: existing.response_status, body: existing.response_body ?? "" };
    }
    if (Date.now() > deadline) {
      throw new AppError(
        "idempotency_conflict",
        "A request with this Idempotency-Key is still running. Retry it later to get its response.",
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

/**
 * The end of a request that ran: a success is kept for retries. A refusal (a 4xx: bad input, no credits, a
 * conflict) or a failure on our side lets the key go, as Stripe does, so the corrected or later retry runs: only
 * what was done is remembered.
 */
export async function finishIdempotent(args: {
  ctx: EngineContext;
  caller: Caller;
  key: string;
  response: { status: number; body: string };
}): Promise<void> {
  const { ctx, caller, key, response } = args;
  if (response.status >= 300) await releaseKey(ctx.db, caller.accountId, key);
  else await ctx.idempotency.save({ accountId: caller.accountId, key, ...response });
}
