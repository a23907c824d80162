import type { Caller, EngineContext } from "../../context";
import { countRequest } from "../../repositories/rate-limits";

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets (and a refused request may try again). */
  resetSeconds: number;
  windowSeconds: number;
}

/**
 * Takes one request from the key's allowance for this minute: the plan's requests per minute, counted in
 * Postgres so every server process shares one count. Fixed one-minute windows.
 */
export async function takeRequest(args: { ctx: EngineContext; caller: Caller }): Promise<RateLimitDecision> {
  const limit = args.caller.limits.requestsPerMinute;
  const { count, resetSeconds } = await countRequest(
    args.ctx.db,
    args.caller.rateBucket ?? args.caller.keyId,
  );
  return {
    allowed: count <= limit,
    limit,
    remaining: Math.max(0, limit - count),
    resetSeconds,
    windowSeconds: 60,
  };
}
