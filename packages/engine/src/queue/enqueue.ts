import type { Database } from "@mcpmediaengine/db";
import { type Kysely, sql } from "kysely";
import { type GeneratePayload, TASKS } from "./tasks";

/**
 * Queues the generation of a job on the caller's transaction, through graphile-worker's SQL function rather than
 * WorkerUtils (which takes its own connection): a rollback then removes the job row and its queue entry together.
 * The job key is our job id, so a cancel can find and remove the queue entry.
 */
export async function enqueueGenerate(
  trx: Kysely<Database>,
  payload: GeneratePayload,
  options: { maxAttempts: number; queueName?: string; priority?: number },
): Promise<void> {
  await sql`select graphile_worker.add_job(
      ${TASKS.generate}::text,
      ${JSON.stringify(payload)}::json,
      queue_name => ${options.queueName ?? null}::text,
      max_attempts => ${options.maxAttempts}::int,
      job_key => ${payload.jobId}::text,
      priority => ${options.priority ?? 0}::int
    )`.execute(trx);
}

/** Drops a queued job's queue entry; one already locked by a worker is left to see the canceled row and stop. */
export async function dequeueGenerate(trx: Kysely<Database>, jobId: string): Promise<void> {
  await sql`select graphile_worker.remove_job(${jobId}::text)`.execute(trx);
}
