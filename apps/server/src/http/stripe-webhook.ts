import { type EngineContext, handleStripeWebhook, type Log } from "@mcpmediaengine/engine";
import type { Context } from "hono";
import type { AppEnv } from "./rate-limit";

/**
 * POST /billing/stripe/webhook: Stripe's events, verified against the raw body (never a re-serialized one) and
 * applied once each. 200 for an event applied or already applied (Stripe stops sending it); 400 for a body the
 * signature does not cover; 502 when Stripe could not be read back (Stripe sends the event again later).
 */
export function stripeWebhook(engine: EngineContext, log: Log) {
  return async (c: Context<AppEnv>) => {
    const body = await c.req.text();
    const outcome = await handleStripeWebhook({
      ctx: engine,
      body,
      signature: c.req.header("stripe-signature") ?? null,
    });
    if (outcome.applied && outcome.accountId)
      log.info("stripe event applied", { accountId: outcome.accountId });
    return c.json({ received: true, duplicate: !outcome.applied });
  };
}
