import type { Database, JobRow } from "@mcpmediaengine/db";
import type { Kysely } from "kysely";
import type { EngineContext } from "../../context";
import { countEndedJobs } from "../../repositories/batches";
import { recordBatchEvent, recordJobEvent } from "../webhooks/outbox";

type EndEvent = "job.completed" | "job.failed" | "job.canceled";

/**
 * What follows a job's end, in the transaction that ended it: its event, and if it belongs to a batch, the batch's
 * count of ended jobs, ending the batch (and recording batch.completed) when it was the last one.
 */
export async function afterJobEnded(
  trx: Kysely<Database>,
  ctx: EngineContext,
  row: JobRow,
  type: EndEvent,
): Promise<void> {
  await recordJobEvent(trx, ctx, row, type);
  if (row.batch_id) {
    const ended = await countEndedJobs(trx, row.batch_id, 1);
    if (ended) await recordBatchEvent(trx, ctx, ended);
  }
}
