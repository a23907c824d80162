import type { PaidPlanId } from "@mcpmediaengine/contract";
import Stripe from "stripe";

/** The operator's Stripe account as the engine uses it: MME_STRIPE_* settings. */
export interface StripeSettings {
  secretKey: string;
  webhookSecret: string;
  prices: Record<PaidPlanId, string>;
  /**
   * Stripe's API root; its own (https://api.stripe.com) when unset. For tests against a local fake that speaks
   * Stripe's protocol.
   */
  apiBase?: string;
  /** How old a signed webhook may be, in seconds; Stripe's default 300. */
  toleranceSeconds?: number;
}

export interface StripeBilling {
  client: Stripe;
  webhookSecret: string;
  prices: Record<PaidPlanId, string>;
  toleranceSeconds: number;
  /** The plan a Stripe price id buys; undefined for a price that is not one of ours. */
  planOfPrice(priceId: string | undefined): PaidPlanId | undefined;
}

/** Billing as the engine runs it: Stripe when configured, the Enterprise contact line, the grace period. */
export interface BillingSettings {
  stripe?: StripeBilling;
  /** MME_ENTERPRISE_CONTACT: shown on the plans for Enterprise. */
  enterpriseContact?: string;
  /** How long a past-due account keeps its plan before it goes back to Free. */
  graceMs: number;
}

export function createStripeBilling(settings: StripeSettings): StripeBilling {
  const base = settings.apiBase ? new URL(settings.apiBase) : undefined;
  const client = new Stripe(settings.secretKey, {
    // Retries re-send the same Idempotency-Key (the library adds one to every POST), so Stripe does the work once.
    maxNetworkRetries: 2,
    timeout: 20_000,
    appInfo: { name: "mcp-media-engine" },
    ...(base && {
      host: base.hostname,
      port: base.port || (base.protocol === "https:" ? 443 : 80),
      protocol: base.protocol === "https:" ? "https" : "http",
    }),
  });
  const byPrice = new Map<string, PaidPlanId>([
    [settings.prices.starter, "starter"],
    [settings.prices.pro, "pro"],
  ]);
  return {
    client,
    webhookSecret: settings.webhookSecret,
    prices: settings.prices,
    toleranceSeconds: settings.toleranceSeconds ?? 300,
    planOfPrice: (priceId) => (priceId ? byPrice.get(priceId) : undefined),
  };
}
