import { AppError, type Job } from "@mcpmediaengine/contract";
import type { Caller, EngineContext, RequestScope } from "../../context";
import { dequeueGenerate } from "../../queue/enqueue";
import { cancelJob as cancelJobRow } from "../../repositories/job-transitions";
import { findJob } from "../../repositories/jobs";
import { getJob } from "./get";
import { afterJobEnded } from "./job-ended";

/**
 * Cancels a job that has not ended and releases the credits it held. A queued job leaves the queue in the same
 * transaction; a job a worker is running is marked canceled at once, and the worker aborts its generator within about
 * a second (its run watch sees the status), storing nothing of it and keeping the slot until it has stopped.
 * An ended job answers 409.
 */
export async function cancelJob(args: {
  ctx: EngineContext;
  caller: Caller;
  scope: RequestScope;
  input: { jobId: string };
}): Promise<Job> {
  const { ctx, caller, input } = args;
  const canceled = await ctx.db.transaction().execute(async (trx) => {
    const row = await cancelJobRow(trx, caller.accountId, input.jobId);
    if (row) {
      await dequeueGenerate(trx, row.id);
      await afterJobEnded(trx, ctx, row, "job.canceled");
    }
    return row;
  });
  if (canceled) ctx.metrics.jobEnded(canceled);
  if (!canceled) {
    const existing = await findJob(ctx.db, caller.accountId, input.jobId);
    if (!existing) throw new AppError("not_found", `No job ${input.jobId}.`);
    throw new AppError("job_not_cancelable", `Job ${input.jobId} has already ended (${existing.status}).`, {
      status: existing.status,
    });
  }
  return getJob(args);
}
