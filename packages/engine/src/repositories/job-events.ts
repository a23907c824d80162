import type { Database, JobEventRow, JobStatusColumn } from "@mcpmediaengine/db";
import { type Kysely, sql } from "kysely";

type Db = Kysely<Database>;

/** A job's events after `afterSeq`, in order (its seq is commit order: the job's row lock orders its changes). */
export async function jobEventsAfter(db: Db, jobId: string, afterSeq: number): Promise<JobEventRow[]> {
  return db
    .selectFrom("job_events")
    .selectAll()
    .where("job_id", "=", jobId)
    .where("seq", ">", afterSeq)
    .orderBy("seq")
    .execute();
}

/** Where each job of a batch is: its status and last event number. */
export interface BatchJobState {
  id: string;
  status: JobStatusColumn;
  event_seq: number;
  progress: number;
  attempts: number;
  updated_at: Date;
}

export async function batchJobStates(db: Db, batchId: string): Promise<BatchJobState[]> {
  return db
    .selectFrom("jobs")
    .select(["id", "status", "event_seq", "progress", "attempts", "updated_at"])
    .where("batch_id", "=", batchId)
    .orderBy("batch_index")
    .execute();
}

/**
 * A batch's jobs and the last event id of the batch, read in one snapshot: a stream that starts from these states
 * and resumes after that id misses nothing (see resumeBatchEvents).
 */
export async function batchSnapshot(
  db: Db,
  batchId: string,
): Promise<{ jobs: BatchJobState[]; lastEventId: string }> {
  return db
    .transaction()
    .setIsolationLevel("repeatable read")
    .execute(async (trx) => {
      const jobs = await batchJobStates(trx, batchId);
      const last = await trx
        .selectFrom("job_events")
        .select(sql<string>`coalesce(max(id), 0)::text`.as("id"))
        .where("batch_id", "=", batchId)
        .executeTakeFirstOrThrow();
      return { jobs, lastEventId: last.id };
    });
}

/**
 * What a batch stream resumed after event `afterId` must send: every event after it, and every earlier one whose
 * transaction that event's snapshot did not see committed (its id came first, its commit may have come later).
 * The second part may repeat an event the client has; (jobId, seq) tells them apart. The mark's own transaction is
 * left out of it: its notifications went out in id order, so the client has its events before the mark. An unknown
 * id (0, or a progress step dropped an hour after its job ended) replays the batch's every event. Read in one snapshot
 * with the jobs' states.
 */
export async function resumeBatchEvents(
  db: Db,
  batchId: string,
  afterId: string,
): Promise<{ events: JobEventRow[]; jobs: BatchJobState[] }> {
  return db
    .transaction()
    .setIsolationLevel("repeatable read")
    .execute(async (trx) => {
      const jobs = await batchJobStates(trx, batchId);
      const result = await sql<JobEventRow>`
        with mark as (
          select snapshot, xid from job_events where id = ${afterId}::bigint and batch_id = ${batchId}
        )
        select e.*, e.id::text as id, e.xid::text as xid, e.snapshot::text as snapshot from job_events e
        where e.batch_id = ${batchId}
          and (e.id > ${afterId}::bigint
            or not exists (select 1 from mark)
            or (not pg_visible_in_snapshot(e.xid, (select snapshot from mark))
              and e.xid <> (select xid from mark)))
        order by e.id`.execute(trx);
      return { events: result.rows, jobs };
    });
}

/**
 * Drops the progress steps of jobs that ended over an hour ago: a stream resumed that late gets the status
 * changes and the ended job, which say all that still matters. Status events stay as long as the job.
 */
export async function dropOldProgressEvents(db: Db): Promise<void> {
  await sql`
    delete from job_events e
    where e.kind = 'progress' and e.at < now() - interval '1 hour'
      and exists (
        select 1 from jobs j where j.id = e.job_id and j.status in ('completed', 'failed', 'canceled')
          and j.completed_at < now() - interval '1 hour'
      )`.execute(db);
}
