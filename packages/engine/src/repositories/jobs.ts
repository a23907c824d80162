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

/** A worker takes the job: only a job not yet ended can be taken (a canceled one stays canceled). */
export async function claimJob(db: Db, jobId: string): Promise<JobRow | undefined> {
  return db
    .updateTable("jobs")
    .set({
      status: "processing",
      attempts: sql`attempts + 1`,
      started_at: sql`coalesce(started_at, now())`,
      updated_at: sql`now()`,
    })
    .where("id", "=", jobId)
    .where("status", "in", ["queued", "processing"])
    .returningAll()
    .executeTakeFirst();
}

/** Back to queued while it waits for its next attempt after a transient failure. */
export async function requeueJob(db: Db, jobId: string): Promise<void> {
  await db
    .updateTable("jobs")
    .set({ status: "queued", updated_at: sql`now()` })
    .where("id", "=", jobId)
    .where("status", "=", "processing")
    .execute();
}
