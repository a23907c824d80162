import {
  AppError,
  type Batch,
  type BatchJobList,
  type BatchList,
  type ListBatchesRequest,
  type ListBatchJobsRequest,
} from "@mcpmediaengine/contract";
import type { Caller, EngineContext, RequestScope } from "../../context";
import { assetsOfJobs } from "../../repositories/assets";
import {
  findBatch,
  listBatchJobs as listBatchJobRows,
  listBatches as listBatchRows,
  tallyBatches,
} from "../../repositories/batches";
import { presentJob } from "../jobs/present";
import { decodeIdCursor, encodeIdCursor } from "../paging";
import { presentBatch } from "./present";

/** One of the caller's batches with its jobs counted by status; another account's batch is not found. */
export async function getBatch(args: {
  ctx: EngineContext;
  caller: Caller;
  scope: RequestScope;
  input: { batchId: string };
}): Promise<Batch> {
  const { ctx, caller, input } = args;
  const row = await findBatch(ctx.db, caller.accountId, input.batchId);
  if (!row) throw new AppError("not_found", `No batch ${input.batchId}.`);
  const tally = (await tallyBatches(ctx.db, [row.id])).get(row.id)!;
  return presentBatch(args.scope, row, tally);
}

/** The caller's batches, newest first. The cursor is the id of the last batch of the previous page. */
export async function listBatches(args: {
  ctx: EngineContext;
  caller: Caller;
  scope: RequestScope;
  input: ListBatchesRequest;
}): Promise<BatchList> {
  const { ctx, caller, input } = args;
  const beforeId = input.cursor ? decodeIdCursor("batch", input.cursor) : undefined;
  const rows = await listBatchRows(ctx.db, {
    accountId: caller.accountId,
    status: input.status,
    beforeId,
    limit: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  const tallies = await tallyBatches(
    ctx.db,
    page.map((r) => r.id),
  );
  return {
    data: page.map((row) => presentBatch(args.scope, row, tallies.get(row.id)!)),
    nextCursor:
      rows.length > input.limit && page.length > 0 ? encodeIdCursor(page[page.length - 1]!.id) : null,
  };
}

/** A batch's jobs in item order, with their assets. The cursor is the last item index of the previous page. */
export async function listBatchJobs(args: {
  ctx: EngineContext;
  caller: Caller;
  scope: RequestScope;
  input: ListBatchJobsRequest;
}): Promise<BatchJobList> {
  const { ctx, caller, input } = args;
  const batch = await findBatch(ctx.db, caller.accountId, input.batchId);
  if (!batch) throw new AppError("not_found", `No batch ${input.batchId}.`);
  let afterIndex: number | undefined;
  if (input.cursor) {
    const decoded = /^i(\d{1,4})$/.exec(Buffer.from(input.cursor, "base64url").toString());
    if (!decoded) throw new AppError("invalid_request", "The cursor is not one this API returned.");
    afterIndex = Number(decoded[1]);
  }
  const rows = await listBatchJobRows(ctx.db, {
    batchId: batch.id,
    status: input.status,
    afterIndex,
    limit: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  const assets = await assetsOfJobs(
    ctx.db,
    page.filter((r) => r.status === "completed").map((r) => r.id),
  );
  const last = page[page.length - 1];
  return {
    data: page.map((row) => presentJob(ctx, args.scope, row, assets.get(row.id) ?? [])),
    nextCursor:
      rows.length > input.limit && last ? Buffer.from(`i${last.batch_index}`).toString("base64url") : null,
  };
}
