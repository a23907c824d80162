import type { JobRow } from "@mcpmediaengine/db";
import { sql } from "kysely";
import type { EngineContext } from "../context";
import { claimJob } from "../repositories/jobs";
import { limitsOf } from "../services/account/get-account";
import { recordJobEvent } from "../services/webhooks/outbox";

/**
 * A worker takes a job, if its account is not already running as many jobs as its plan allows. Undefined: the
 * job has ended (canceled, say) and must not run. "wait": the account is at its limit; the job waits its turn.
 * An advisory lock per account makes the count and the claim one step, so two workers cannot both take the
 * last free slot.
 */
export async function claimWithinLimit(
  ctx: EngineContext,
  jobId: string,
): Promise<JobRow | "wait" | undefined> {
  return ctx.db.transaction().execute(async (trx) => {
    const target = await trx
      .selectFrom("jobs")
      .innerJoin("accounts", "accounts.id", "jobs.account_id")
      .select(["jobs.account_id", "jobs.status", "accounts.plan", "accounts.limits"])
      .where("jobs.id", "=", jobId)
      .executeTakeFirst();
    if (!target || (target.status !== "queued" && target.status !== "processing")) return undefined;
    await sql`select pg_advisory_xact_lock(hashtextextended(${target.account_id}, 20261124))`.execute(trx);
    // This job may itself still read "processing" after a crash; it does not count against its own slot.
    const running = await trx
      .selectFrom("jobs")
      .select(sql<number>`count(*)::int`.as("n"))
      .where("account_id", "=", target.account_id)
      .where("status", "=", "processing")
      .where("id", "<>", jobId)
      .executeTakeFirstOrThrow();
    if (running.n >= limitsOf(target).concurrentJobs) return "wait";
    const claimed = await claimJob(trx, jobId);
    // Only the first start is news; a retry after a transient failure is the same processing.
    if (claimed?.attempts === 1) await recordJobEvent(trx, ctx, claimed, "job.processing");
    return claimed;
  });
}
