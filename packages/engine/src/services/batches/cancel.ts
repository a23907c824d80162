import { AppError, type Batch } from "@mcpmediaengine/contract";
import type { Caller, EngineContext, RequestScope } from "../../context";
import {
  cancelQueuedBatchJobs,
  countEndedJobs,
  findBatch,
  requestBatchCancel,
} from "../../repositories/batches";
import { recordBatchEvent, recordJobEvents } from "../webhooks/outbox";
import { getBatch } from "./get";

/**
 * Cancels what has not started: every queued job of the batch is canceled and its credits released, in one
 * transaction; jobs already processing finish (and are charged if they complete). The batch ends as `canceled`
 * when its last job ends, which is at once if none was processing. An ended batch answers 409.
 */
export async function cancelBatch(args: {
  ctx: EngineContext;
  caller: Caller;
  scope: RequestScope;
  input: { batchId: string };
}): Promise<Batch> {
  const { ctx, caller, input } = args;
  const done = await ctx.db.transaction().execute(async (trx) => {
    const batch = await requestBatchCancel(trx, caller.accountId, input.batchId);
    if (!batch) return undefined;
    const canceled = await cancelQueuedBatchJobs(trx, caller.accountId, batch.id);
    await recordJobEvents(trx, ctx, canceled, "job.canceled");
    if (canceled.length > 0) {
      const ended = await countEndedJobs(trx, batch.id, canceled.length);
      if (ended) await recordBatchEvent(trx, ctx, ended);
    }
    return canceled;
  });
  for (const job of done ?? []) ctx.metrics.jobEnded(job);
  if (!done) {
    const existing = await findBatch(ctx.db, caller.accountId, input.batchId);
    if (!existing) throw new AppError("not_found", `No batch ${input.batchId}.`);
    throw new AppError(
      "batch_not_cancelable",
      `Batch ${input.batchId} has already ended (${existing.status}).`,
      {
        status: existing.status,
      },
    );
  }
  return getBatch(args);
}
