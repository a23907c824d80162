import type { JobRow } from "@mcpmediaengine/db";
import { sql } from "kysely";
import type { EngineContext } from "../context";
import { claimJob } from "../repositories/jobs";
import { limitsOf } from "../services/account/get-account";
import { recordJobEvent } from "../services/webhooks/outbox";

export type Claim =
  /** The job has ended (canceled, say) and must not run. */
  | { state: "ended" }
  /** The account runs as many jobs as its plan allows: the job waits its turn, with its attempts left. */
  | { state: "wait"; attemptsLeft: number }
  | { state: "claimed"; job: JobRow };

/**
 * A worker takes a job, if its account is not already running as many jobs as its plan allows. A run counts
 * against the plan while its job is processing, and also after a cancel until the run has really stopped
 * (`running_on`): a canceled render still holds its slot. An advisory lock per account makes the count and the
 * claim one step, so two workers cannot both take the last free slot.
 */
export async function claimWithinLimit(
  ctx: EngineContext,
  jobId: string,
  workerPoolId: string,
): Promise<Claim> {
  return ctx.db.transaction().execute(async (trx): Promise<Claim> => {
    const target = await trx
      .selectFrom("jobs")
      .innerJoin("accounts", "accounts.id", "jobs.account_id")
      .select([
        "jobs.account_id",
        "jobs.status",
        "jobs.attempts",
        "jobs.max_attempts",
        "accounts.plan",
        "accounts.limits",
      ])
      .where("jobs.id", "=", jobId)
      .executeTakeFirst();
    if (!target || (target.status !== "queued" && target.status !== "processing")) return { state: "ended" };
    await sql`select pg_advisory_xact_lock(hashtextextended(${target.account_id}, 20261124))`.execute(trx);
    // This job may itself still read "processing" after a crash; it does not count against its own slot.
    const running = await trx
      .selectFrom("jobs")
      .select(sql<number>`count(*)::int`.as("n"))
      .where("account_id", "=", target.account_id)
      .where((eb) => eb.or([eb("status", "=", "processing"), eb("running_on", "is not", null)]))
      .where("id", "<>", jobId)
      .executeTakeFirstOrThrow();
    if (running.n >= limitsOf(target).concurrentJobs) {
      return { state: "wait", attemptsLeft: target.max_attempts - target.attempts };
    }
    const claimed = await claimJob(trx, jobId, workerPoolId);
    if (!claimed) return { state: "ended" };
    // Only the first start is news; a retry or a run handed back at shutdown is the same processing.
    if (claimed.lease === 1) await recordJobEvent(trx, ctx, claimed, "job.processing");
    return { state: "claimed", job: claimed };
  });
}
