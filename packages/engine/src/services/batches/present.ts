import type { Batch } from "@mcpmediaengine/contract";
import type { BatchRow } from "@mcpmediaengine/db";
import type { RequestScope } from "../../context";
import type { BatchTally } from "../../repositories/batches";

/** The public shape of a batch row and its jobs' tally; the one place storage becomes contract. */
export function presentBatch(scope: RequestScope, row: BatchRow, tally: BatchTally): Batch {
  const ended = tally.completed + tally.failed + tally.canceled;
  return {
    batchId: row.id,
    status: row.status,
    jobCount: row.job_count,
    counts: {
      queued: tally.queued,
      processing: tally.processing,
      completed: tally.completed,
      failed: tally.failed,
      canceled: tally.canceled,
    },
    progress: row.job_count === 0 ? 1 : ended / row.job_count,
    credits: { held: tally.held, spent: tally.spent },
    resultsUrl: `${scope.baseUrl}/v1/batches/${row.id}/jobs`,
    webhookUrl: row.webhook_url,
    // Written only after the contract's Metadata accepted it.
    metadata: row.metadata as Batch["metadata"],
    createdAt: row.created_at.toISOString(),
    cancelRequestedAt: row.cancel_requested_at?.toISOString() ?? null,
    completedAt: row.completed_at?.toISOString() ?? null,
  };
}

/** A batch just accepted: every job queued, everything held. */
export function acceptedTally(row: BatchRow): BatchTally {
  return {
    queued: row.job_count,
    processing: 0,
    completed: 0,
    failed: 0,
    canceled: 0,
    held: row.cost_credits,
    spent: 0,
  };
}
