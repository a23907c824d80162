import { z } from "zod";

export const PlanId = z
  .enum(["free", "starter", "pro", "enterprise"])
  .describe(
    "free: 25 credits once. starter: 400 credits a month ($29). pro: 1,400 credits a month ($79). enterprise: custom grant and limits.",
  );
export type PlanId = z.infer<typeof PlanId>;

export const PlanLimits = z
  .object({
    requestsPerMinute: z
      .number()
      .int()
      .describe("API requests one key may make per minute, shared by all servers."),
    concurrentJobs: z
      .number()
      .int()
      .describe("Jobs of the account processed at once; more wait in the queue, they do not fail."),
    maxBatchSize: z.number().int().describe("The most jobs one batch may hold."),
  })
  .describe("What the plan allows.");
export type PlanLimits = z.infer<typeof PlanLimits>;

export interface PlanDefinition {
  id: PlanId;
  name: string;
  /** US dollars a month; null for free and for enterprise (priced per contract). */
  priceUsdPerMonth: number | null;
  /** Credits granted: once when the account opens, or at the start of every calendar month (UTC). */
  grant: { credits: number; every: "once" | "month" };
  limits: PlanLimits;
}

/**
 * The plans. Unused credits roll over: a monthly grant adds to whatever is left, so a quiet month is never lost
 * (the ledger has no expiry entries to explain on an invoice). Enterprise accounts may carry their own monthly
 * grant and limits, which replace these.
 */
export const PLANS: Record<PlanId, PlanDefinition> = {
  free: {
    id: "free",
    name: "Free",
    priceUsdPerMonth: null,
    grant: { credits: 25, every: "once" },
    limits: { requestsPerMinute: 30, concurrentJobs: 1, maxBatchSize: 10 },
  },
  starter: {
    id: "starter",
    name: "Starter",
    priceUsdPerMonth: 29,
    grant: { credits: 400, every: "month" },
    limits: { requestsPerMinute: 120, concurrentJobs: 4, maxBatchSize: 100 },
  },
  pro: {
    id: "pro",
    name: "Pro",
    priceUsdPerMonth: 79,
    grant: { credits: 1400, every: "month" },
    limits: { requestsPerMinute: 600, concurrentJobs: 16, maxBatchSize: 500 },
  },
  enterprise: {
    id: "enterprise",
    name: "Enterprise",
    priceUsdPerMonth: null,
    grant: { credits: 0, every: "month" },
    limits: { requestsPerMinute: 6000, concurrentJobs: 64, maxBatchSize: 500 },
  },
};
