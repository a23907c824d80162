import type { Database, JobRow, JobStatusColumn } from "@mcpmediaengine/db";
import { type Kysely, sql } from "kysely";

// A transaction is a Kysely too, so every function here runs inside one or alone.
type Db = Kysely<Database>;

/** One account's job; another account's job is indistinguishable from a missing one. */
export async function findJob(db: Db, accountId: string, jobId: string): Promise<JobRow | undefined> {
  return db
    .selectFrom("jobs")
    .selectAll()
    .where("id", "=", jobId)
    .where("account_id", "=", accountId)
    .executeTakeFirst();
}

export interface JobFilter {
  accountId: string;
  status?: JobStatusColumn;
  type?: "image" | "video" | "audio";
  model?: string;
  batchId?: string;
  createdAfter?: Date;
  createdBefore?: Date;
  /** Only jobs older (smaller id) than this one. */
  beforeId?: string;
  limit: number;
}

export async function listJobs(db: Db, f: JobFilter): Promise<JobRow[]> {
  let q = db.selectFrom("jobs").selectAll().where("account_id", "=", f.accountId);
  if (f.status) q = q.where("status", "=", f.status);
  if (f.type) q = q.where("type", "=", f.type);
  if (f.model) q = q.where("model", "=", f.model);
  if (f.batchId) q = q.where("batch_id", "=", f.batchId);
  if (f.createdAfter) q = q.where("created_at", ">=", f.createdAfter);
  if (f.createdBefore) q = q.where("created_at", "<", f.createdBefore);
  if (f.beforeId) q = q.where("id", "<", f.beforeId);
  return q.orderBy("id", "desc").limit(f.limit).execute();
}

/**
 * A worker pool takes the job: only a job not yet ended can be taken (a canceled one stays canceled). Every start
 * takes the next lease, which fences off any earlier run still going (a paused worker's): it can no longer record
 * a result. `running_on` says whose run is working, for the plan's concurrency and for recovery.
 */
export async function claimJob(db: Db, jobId: string, workerPoolId: string): Promise<JobRow | undefined> {
  return db
    .updateTable("jobs")
    .set({
      status: "processing",
      attempts: sql`attempts + 1`,
      lease: sql`lease + 1`,
      running_on: workerPoolId,
      started_at: sql`coalesce(started_at, now())`,
      updated_at: sql`now()`,
    })
    .where("id", "=", jobId)
    .where("status", "in", ["queued", "processing"])
    .returningAll()
    .executeTakeFirst();
}

/** A run of a job, identified by the lease it took: the fence every write of a running job checks. */
export interface JobRun {
  jobId: string;
  lease: number;
}

/**
 * Back to queued after a transient failure, or handed back at shutdown (`giveBackAttempt`: the run does not count
 * against the job's attempts). Only the run holding the current lease can do this.
 */
export async function requeueJob(
  db: Db,
  run: JobRun,
  options: { giveBackAttempt?: boolean } = {},
): Promise<boolean> {
  const result = await db
    .updateTable("jobs")
    .set({
      status: "queued",
      running_on: null,
      updated_at: sql`now()`,
      ...(options.giveBackAttempt && { attempts: sql`greatest(attempts - 1, 0)` }),
    })
    .where("id", "=", run.jobId)
    .where("lease", "=", run.lease)
    .where("status", "=", "processing")
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The run has stopped working (after a cancel, or fenced off): its slot in the plan's concurrency is free. */
export async function releaseRun(db: Db, run: JobRun): Promise<void> {
  await db
    .updateTable("jobs")
    .set({ running_on: null })
    .where("id", "=", run.jobId)
    .where("lease", "=", run.lease)
    .where("running_on", "is not", null)
    .execute();
}

/** What the worker needs to know about its running jobs: has each been canceled, or taken over by a later run? */
export async function runStates(
  db: Db,
  jobIds: string[],
): Promise<{ id: string; status: JobStatusColumn; lease: number }[]> {
  if (jobIds.length === 0) return [];
  return db.selectFrom("jobs").select(["id", "status", "lease"]).where("id", "in", jobIds).execute();
}

/**
 * What a live view needs to see change: the account's unfinished jobs, the jobs it last saw unfinished (which may
 * have ended since) and every job created after `createdFromId` (ids begin with their creation time). Each part is
 * served by an index of its own (account and status, the primary key, account and id).
 */
export async function watchedJobs(
  db: Db,
  f: { accountId: string; ids: string[]; createdFromId: string },
): Promise<JobRow[]> {
  return (
    db
      .selectFrom("jobs")
      .selectAll()
      .where("account_id", "=", f.accountId)
      .where((eb) =>
        eb.or([
          eb("status", "in", ["queued", "processing"]),
          eb("id", ">=", f.createdFromId),
          ...(f.ids.length > 0 ? [eb("id", "in", f.ids)] : []),
        ]),
      )
      .orderBy("id", "desc")
      // A view shows a page of jobs, not thousands: past this, the newest are the ones worth following.
      .limit(1000)
      .execute()
  );
}
