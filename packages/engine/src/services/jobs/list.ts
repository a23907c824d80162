import type { JobList, ListJobsRequest } from "@mcpmediaengine/contract";
import type { Caller, EngineContext, RequestScope } from "../../context";
import { assetsOfJobs } from "../../repositories/assets";
import { listJobs as listJobRows } from "../../repositories/jobs";
import { decodeIdCursor, encodeIdCursor } from "../paging";
import { presentJob } from "./present";

/** The caller's jobs, newest first. The cursor is the id of the last job of the previous page. */
export async function listJobs(args: {
  ctx: EngineContext;
  caller: Caller;
  scope: RequestScope;
  input: ListJobsRequest;
}): Promise<JobList> {
  const { ctx, caller, input } = args;
  const beforeId = input.cursor ? decodeIdCursor("job", input.cursor) : undefined;
  const rows = await listJobRows(ctx.db, {
    accountId: caller.accountId,
    status: input.status,
    type: input.type,
    model: input.model,
    batchId: input.batchId,
    createdAfter: input.createdAfter ? new Date(input.createdAfter) : undefined,
    createdBefore: input.createdBefore ? new Date(input.createdBefore) : undefined,
    beforeId,
    limit: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  const assets = await assetsOfJobs(
    ctx.db,
    page.filter((r) => r.status === "completed").map((r) => r.id),
  );
  return {
    data: page.map((row) => presentJob(ctx, args.scope, row, assets.get(row.id) ?? [])),
    nextCursor:
      rows.length > input.limit && page.length > 0 ? encodeIdCursor(page[page.length - 1]!.id) : null,
  };
}
