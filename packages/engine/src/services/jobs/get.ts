import { AppError, type Job } from "@mcpmediaengine/contract";
import type { Caller, EngineContext, RequestScope } from "../../context";
import { assetsOfJobs } from "../../repositories/assets";
import { findJob } from "../../repositories/jobs";
import { presentJob } from "./present";

export async function getJob(args: {
  ctx: EngineContext;
  caller: Caller;
  scope: RequestScope;
  input: { jobId: string };
}): Promise<Job> {
  const { ctx, caller, input } = args;
  const row = await findJob(ctx.db, caller.accountId, input.jobId);
  if (!row) throw new AppError("not_found", `No job ${input.jobId}.`);
  const assets = row.status === "completed" ? ((await assetsOfJobs(ctx.db, [row.id])).get(row.id) ?? []) : [];
  return presentJob(ctx, args.scope, row, assets);
}
