import type { Database } from "@mcpmediaengine/db";
import { type Kysely, type RawBuilder, sql } from "kysely";
import { type GeneratePayload, TASKS } from "./tasks";

/**
 * The `graphile_worker.add_job` call that queues a job's generation, as an SQL expression, so it runs inside the
 * statement or transaction that writes the job row (never through WorkerUtils, which takes its own connection): a
 * rollback then removes the row and its queue entry together. The job key is our job id, so a cancel can find
 * and remove the queue entry.
 *
 * Our job row counts its own attempts (`jobs.attempts` against `jobs.max_attempts`); the queue entry gets one start
 * more than the job has left (`SPARE_STARTS`), so that when the worker running a job's last attempt dies, the
 * queue still starts it once more and the task can fail it as `worker_lost` instead of leaving it stuck.
 */
export function addGenerateJob(
  payload: GeneratePayload,
  options: { maxAttempts: number; queueName?: string; priority?: number },
): RawBuilder<unknown> {
  return sql`graphile_worker.add_job(
      ${TASKS.generate}::text,
      ${JSON.stringify(payload)}::json,
      queue_name => ${options.queueName ?? null}::text,
      max_attempts => ${options.maxAttempts + SPARE_STARTS}::int,
      job_key => ${payload.jobId}::text,
      priority => ${options.priority ?? 0}::int
    )`;
}

/** Starts the queue allows beyond the job's own attempts left: one, to notice a lost last attempt. */
export const SPARE_STARTS = 1;

/**
 * The same for many jobs at once: one `graphile_worker.add_jobs` call over the rows of a CTE with columns `id`
 * (our job id, also the job key), `max_attempts`, `priority`, `traceparent` and `tracestate` (null when not
 * tracing), as a query that returns how many were queued.
 */
export function addGenerateJobsFrom(cte: string): RawBuilder<unknown> {
  return sql`select count(*) as queued from graphile_worker.add_jobs((
      select array_agg(row(${TASKS.generate}::text,
        json_strip_nulls(json_build_object('jobId', r.id, 'traceparent', r.traceparent, 'tracestate', r.tracestate)),
        null, null, r.max_attempts + ${SPARE_STARTS}::int, r.id, r.priority, null)::graphile_worker.job_spec)
      from ${sql.table(cte)} r))`;
}

/**
 * graphile-worker runs the lowest priority number first. A job submitted alone has 0; a batch's jobs come in
 * rounds of BATCH_ROUND, the k-th round at 1 + k. So one account's 500-job batch never holds back anyone's single
 * job (a free worker takes the single next), and batches running at the same time take turns round by round
 * instead of the later one waiting for all of the earlier one.
 */
export const BATCH_ROUND = 25;
export function batchJobPriority(index: number, priority: "normal" | "low" = "normal"): number {
  return queuePriority(priority) + 1 + Math.floor(index / BATCH_ROUND);
}

/**
 * Low-priority jobs rank behind every normal one: their queue entries start at LOW_PRIORITY_BASE, above any
 * normal batch round (500 jobs make 20 rounds), so a worker takes a low job only when no normal job of any account
 * is waiting to run. graphile-worker's priority is a smallint: the base leaves room for every round.
 */
export const LOW_PRIORITY_BASE = 10_000;
export function queuePriority(priority: "normal" | "low" | undefined): number {
  return priority === "low" ? LOW_PRIORITY_BASE : 0;
}

/**
 * Puts a job back in the queue to start after `delayMs`, from inside its own running task. The running queue entry
 * holds the job key, so graphile-worker gives the key to the new entry and lets the running one finish as done.
 * `attemptsLeft` is what the job row has left (max_attempts - attempts).
 */
export async function enqueueGenerateLater(
  db: Kysely<Database>,
  payload: GeneratePayload,
  options: { attemptsLeft: number; delayMs: number; priority: number },
): Promise<void> {
  await sql`select graphile_worker.add_job(
      ${TASKS.generate}::text,
      ${JSON.stringify(payload)}::json,
      run_at => now() + ${options.delayMs} * interval '1 millisecond',
      max_attempts => ${Math.max(0, options.attemptsLeft) + SPARE_STARTS}::int,
      job_key => ${payload.jobId}::text,
      priority => ${options.priority}::int
    )`.execute(db);
}

/** Drops a queued job's queue entry; one already locked by a worker is left to see the canceled row and stop. */
export async function dequeueGenerate(trx: Kysely<Database>, jobId: string): Promise<void> {
  await sql`select graphile_worker.remove_job(${jobId}::text)`.execute(trx);
}
