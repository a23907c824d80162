import { sql } from "kysely";
import type { EngineContext } from "../../context";
import { dequeueGenerate } from "../../queue/enqueue";
import { appendJobLogs } from "../../repositories/job-logs";
import { cancelJob } from "../../repositories/job-transitions";
import { afterJobEnded } from "./job-ended";

/**
 * Cancels the jobs whose cancelAfter deadline has passed, as a caller's cancel would: each in its own transaction,
 * releasing its credits, leaving the queue, with its job.canceled event; a running one is aborted by its worker's
 * run watch, which sees the status. Returns the ids canceled. Any worker process may run it; the status check in
 * the cancel statement makes two sweeps of one job harmless.
 */
export async function cancelOverdueJobs(ctx: EngineContext, limit = 100): Promise<string[]> {
  const overdue = await sql<{ id: string; account_id: string; cancel_at: Date }>`
    select id, account_id, cancel_at from jobs
    where cancel_at is not null and cancel_at <= now() and status in ('queued', 'processing')
    order by cancel_at limit ${limit}`.execute(ctx.db);
  const canceled: string[] = [];
  for (const job of overdue.rows) {
    const row = await ctx.db.transaction().execute(async (trx) => {
      const ended = await cancelJob(trx, job.account_id, job.id);
      if (!ended) return undefined;
      await dequeueGenerate(trx, ended.id);
      await appendJobLogs(trx, [
        {
          jobId: ended.id,
          kind: "deadline",
          attempt: ended.attempts,
          message: `canceled: its cancelAfter deadline (${job.cancel_at.toISOString()}) passed before it ended`,
          details: { cancelAt: job.cancel_at.toISOString() },
        },
      ]);
      await afterJobEnded(trx, ctx, ended, "job.canceled");
      return ended;
    });
    if (!row) continue;
    ctx.metrics.jobEnded(row);
    canceled.push(row.id);
  }
  return canceled;
}
