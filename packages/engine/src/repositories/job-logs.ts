import type { Database, JobLogRow } from "@mcpmediaengine/db";
import type { Kysely } from "kysely";

type Db = Kysely<Database>;

export interface NewJobLog {
  jobId: string;
  kind: string;
  attempt?: number | null;
  message: string;
  details?: Record<string, unknown>;
}

/** Appends lines to a job's log (status changes are written by migration 0017's trigger). */
export async function appendJobLogs(db: Db, lines: NewJobLog[]): Promise<void> {
  if (lines.length === 0) return;
  await db
    .insertInto("job_logs")
    .values(
      lines.map((l) => ({
        job_id: l.jobId,
        kind: l.kind,
        attempt: l.attempt ?? null,
        message: l.message.slice(0, 2000),
        details: JSON.stringify(l.details ?? {}),
      })),
    )
    .execute();
}

/** A job's log, oldest first. */
export async function jobLogs(db: Db, jobId: string): Promise<JobLogRow[]> {
  return db.selectFrom("job_logs").selectAll().where("job_id", "=", jobId).orderBy("id").execute();
}
