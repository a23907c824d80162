import { z } from "zod";

/** graphile-worker task names. Renaming one strands the jobs already queued under the old name. */
export const TASKS = {
  generate: "mme.generate",
  webhook: "mme.webhook",
  // Crontab identifiers allow no dots.
  monthlyGrants: "mme_monthly_grants",
  cleanup: "mme_cleanup",
  assetRetention: "mme_asset_retention",
  billingGrace: "mme_billing_grace",
} as const;

/**
 * graphile-worker's crontab (UTC): the monthly grants at midnight on the 1st (`fill=7d` runs a missed one when a
 * worker starts within a week of it; grants are idempotent per account and month, so an extra run costs nothing),
 * a sweep of expired rate-limit windows, idempotency keys and old progress events every ten minutes, asset retention
 * every hour (it does nothing while MME_ASSET_RETENTION_DAYS is unset and no object waits to be deleted), and
 * past-due accounts whose grace period ran out back to Free every five minutes (one indexed query when none has).
 */
export const CRONTAB = [
  `0 0 1 * * ${TASKS.monthlyGrants} ?fill=7d&max=3`,
  `*/10 * * * * ${TASKS.cleanup} ?max=1`,
  `17 * * * * ${TASKS.assetRetention} ?max=1`,
  `*/5 * * * * ${TASKS.billingGrace} ?max=1`,
].join("\n");

// A queue entry carries the W3C trace context of whatever queued it (only while tracing is on), so its task joins
// that trace: the submission's for a job, the job's run for its webhooks.
const TraceFields = { traceparent: z.string().optional(), tracestate: z.string().optional() };

export const WebhookPayload = z.object({ deliveryId: z.string(), ...TraceFields });
export type WebhookPayload = z.infer<typeof WebhookPayload>;

export const GeneratePayload = z.object({ jobId: z.string(), ...TraceFields });
export type GeneratePayload = z.infer<typeof GeneratePayload>;

/** What graphile-worker's cron puts in a scheduled job's payload. */
export const CronPayload = z.object({
  _cron: z.object({ ts: z.string(), backfilled: z.boolean().optional() }),
});
