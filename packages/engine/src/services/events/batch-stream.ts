import { AppError, type JobEvent } from "@mcpmediaengine/contract";
import type { JobEventRow } from "@mcpmediaengine/db";
import type { Caller, EngineContext, RequestScope } from "../../context";
import { Mailbox } from "../../events/mailbox";
import { findBatch } from "../../repositories/batches";
import {
  type BatchJobState,
  batchJobStates,
  batchSnapshot,
  jobEventsAfter,
  resumeBatchEvents,
} from "../../repositories/job-events";
import type { OpenedStream } from "./job-stream";
import {
  changeEvent,
  endedEvents,
  isEnded,
  KEEPALIVE_MS,
  message,
  noteChange,
  POLL_MS,
  type SseMessage,
} from "./messages";

/**
 * Every job of a batch, for GET /v1/jobs/events?batchId=. Without Last-Event-ID the stream starts with each job's
 * current state (its status, or its last event when it has ended); then each change as it commits, and each job's
 * last event when it ends; it closes once every job has ended. SSE ids are job_events ids: a resume replays every
 * event after the id and those written by transactions still running when it was written, which can repeat an
 * event the client has ((jobId, seq) names it) but never skips one. Another account's batch is `not_found`.
 */
export async function openBatchStream(args: {
  ctx: EngineContext;
  caller: Caller;
  scope: RequestScope;
  batchId: string;
  lastEventId?: string | null;
  signal: AbortSignal;
}): Promise<OpenedStream> {
  const { ctx, caller, batchId, signal } = args;
  if (!(await findBatch(ctx.db, caller.accountId, batchId))) {
    throw new AppError("not_found", `No batch ${batchId}.`);
  }
  const box = new Mailbox();
  const unsubscribe = ctx.jobEvents?.subscribe(
    { batchId },
    { onNote: (note) => box.push(note), onResync: () => box.requestResync() },
  );
  const afterId =
    args.lastEventId && /^\d{1,18}$/.test(args.lastEventId.trim()) ? args.lastEventId.trim() : undefined;
  // Read after subscribing: what commits from here on arrives as a note too, and is told apart by its seq.
  const start = afterId === undefined ? undefined : await resumeBatchEvents(ctx.db, batchId, afterId);
  if (start && start.events.length === 0 && start.jobs.every((j) => isEnded(j.status))) {
    unsubscribe?.();
    return { kind: "ended" };
  }
  const seqs = new Map<string, number>();
  const open = new Set<string>();
  const ended = async (ids: string[]) => endedEvents(ctx, ctx.db, args.scope, caller.accountId, ids);

  /** A job's change as its message; a job's end as its last event, and the job leaves the open set. */
  async function* emit(
    rows: (Parameters<typeof changeEvent>[0] & { id?: string })[],
  ): AsyncGenerator<SseMessage> {
    const endedIds = rows.filter((r) => r.kind === "status" && isEnded(r.status)).map((r) => r.job_id);
    const last = await ended(endedIds);
    for (const row of rows) {
      const event: JobEvent =
        row.kind === "status" && isEnded(row.status)
          ? { ...last.get(row.job_id)!, seq: row.seq }
          : changeEvent(row);
      if (row.seq > (seqs.get(row.job_id) ?? -1)) seqs.set(row.job_id, row.seq);
      if (event.event === "job") open.delete(row.job_id);
      yield message(event, row.id);
    }
  }

  /** The events of jobs whose last event number is past what was sent, from the table, in id order. */
  async function catchUp(states: BatchJobState[]): Promise<JobEventRow[]> {
    const behind = states.filter((s) => s.event_seq > (seqs.get(s.id) ?? 0) && open.has(s.id));
    const rows = (
      await Promise.all(behind.map((s) => jobEventsAfter(ctx.db, s.id, seqs.get(s.id) ?? 0)))
    ).flat();
    return rows.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  }

  async function* messages(): AsyncGenerator<SseMessage> {
    try {
      if (!start) {
        const snapshot = await batchSnapshot(ctx.db, batchId);
        const last = await ended(snapshot.jobs.filter((j) => isEnded(j.status)).map((j) => j.id));
        for (const [index, job] of snapshot.jobs.entries()) {
          seqs.set(job.id, job.event_seq);
          // Only the snapshot's last message carries an id: a client cut off inside it starts over.
          const id = index === snapshot.jobs.length - 1 ? snapshot.lastEventId : undefined;
          if (isEnded(job.status)) {
            yield message(last.get(job.id)!, id);
            continue;
          }
          open.add(job.id);
          yield message(
            changeEvent({ ...job, job_id: job.id, seq: job.event_seq, kind: "status", at: job.updated_at }),
            id,
          );
        }
      } else {
        // Open: the jobs not ended, and those whose end is among the events replayed (it is still to be sent).
        const endsToSend = new Set(
          start.events.filter((e) => e.kind === "status" && isEnded(e.status)).map((e) => e.job_id),
        );
        for (const job of start.jobs) {
          seqs.set(job.id, 0);
          if (!isEnded(job.status) || endsToSend.has(job.id)) open.add(job.id);
        }
        yield* emit(start.events);
        for (const job of start.jobs) seqs.set(job.id, Math.max(seqs.get(job.id) ?? 0, job.event_seq));
      }
      while (open.size > 0 && !signal.aborted) {
        const up = ctx.jobEvents?.up ?? false;
        const { notes, resync } = await box.take(up ? KEEPALIVE_MS : POLL_MS, signal);
        if (signal.aborted) return;
        let behind = resync || !up || notes.length === 0;
        if (notes.length === 0 && up) yield { comment: "keep-alive" };
        for (const note of notes) {
          if (note.kind === "created" || !open.has(note.jobId)) continue;
          const seq = seqs.get(note.jobId) ?? 0;
          if (note.seq <= seq) continue;
          if (note.seq !== seq + 1) {
            behind = true;
            continue;
          }
          yield* emit([{ ...noteChange(note), id: note.id }]);
        }
        if (behind) yield* emit(await catchUp(await batchJobStates(ctx.db, batchId)));
      }
    } finally {
      unsubscribe?.();
    }
  }
  return { kind: "stream", messages: messages() };
}
