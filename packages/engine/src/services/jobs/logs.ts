import { AppError, type JobLogKind, type JobLogs } from "@mcpmediaengine/contract";
import type { Caller, EngineContext } from "../../context";
import { jobLogs } from "../../repositories/job-logs";
import { findJob } from "../../repositories/jobs";

/** A job's log, oldest first: what happened to it, from acceptance to its end. Another account's job is not_found. */
export async function getJobLogs(args: {
  ctx: EngineContext;
  caller: Caller;
  input: { jobId: string };
}): Promise<JobLogs> {
  const { ctx, caller, input } = args;
  const job = await findJob(ctx.db, caller.accountId, input.jobId);
  if (!job) throw new AppError("not_found", `No job ${input.jobId}.`);
  const rows = await jobLogs(ctx.db, job.id);
  return {
    jobId: job.id,
    data: rows.map((r) => ({
      at: r.at.toISOString(),
      kind: r.kind as JobLogKind,
      attempt: r.attempt,
      message: r.message,
      details: r.details,
    })),
  };
}
