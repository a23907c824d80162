import { isTerminalStatus, type Job, type JobEvent } from "@mcpmediaengine/contract";
import type { Database, JobEventRow, JobStatusColumn } from "@mcpmediaengine/db";
import type { Kysely } from "kysely";
import type { EngineContext, RequestScope } from "../../context";
import type { JobEventNote } from "../../events/job-event-source";
import { assetsOfJobs } from "../../repositories/assets";
import { presentJob } from "../jobs/present";

/** One Server-Sent Event, or a comment line (a keep-alive). */
export interface SseMessage {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
}

/** How often an idle stream sends a keep-alive comment and checks the tables (in case a notification was lost). */
export const KEEPALIVE_MS = 15_000;
/** How often a stream reads the tables while its process's job event listener is down. */
export const POLL_MS = 1_000;

export function isEnded(status: JobStatusColumn): boolean {
  return isTerminalStatus(status);
}

export function message(event: JobEvent, id?: string): SseMessage {
  return { ...(id !== undefined && { id }), event: event.event, data: JSON.stringify(event) };
}

/** A status or progress change as its event. */
export function changeEvent(
  change: Pick<JobEventRow, "job_id" | "seq" | "kind" | "status" | "progress" | "attempts"> & { at: Date },
): JobEvent {
  const base = { jobId: change.job_id, seq: change.seq, at: change.at.toISOString() };
  return change.kind === "progress"
    ? { event: "progress", ...base, progress: change.progress }
    : {
        event: "status",
        ...base,
        status: change.status,
        progress: change.progress,
        attempts: change.attempts,
      };
}

export function noteChange(note: Extract<JobEventNote, { jobId: string }>) {
  return {
    job_id: note.jobId,
    seq: note.seq,
    kind: note.kind as "status" | "progress",
    status: note.status,
    progress: note.progress,
    attempts: note.attempts,
    at: new Date(),
  };
}

/** The ended jobs (of one account) as their last events, with their assets. */
export async function endedEvents(
  ctx: EngineContext,
  db: Kysely<Database>,
  scope: RequestScope,
  accountId: string,
  jobIds: string[],
): Promise<Map<string, JobEvent>> {
  const out = new Map<string, JobEvent>();
  if (jobIds.length === 0) return out;
  const rows = await db
    .selectFrom("jobs")
    .selectAll()
    .where("account_id", "=", accountId)
    .where("id", "in", jobIds)
    .execute();
  const assets = await assetsOfJobs(
    db,
    rows.filter((r) => r.status === "completed").map((r) => r.id),
  );
  for (const row of rows) {
    const job: Job = presentJob(ctx, scope, row, assets.get(row.id) ?? []);
    out.set(row.id, {
      event: "job",
      jobId: row.id,
      seq: row.event_seq,
      at: (row.completed_at ?? row.updated_at).toISOString(),
      job,
    });
  }
  return out;
}
