import { AppError } from "@mcpmediaengine/contract";
import type { Caller, EngineContext, RequestScope } from "../../context";
import { Mailbox } from "../../events/mailbox";
import { jobEventsAfter } from "../../repositories/job-events";
import { findJob } from "../../repositories/jobs";
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

export type OpenedStream = { kind: "ended" } | { kind: "stream"; messages: AsyncGenerator<SseMessage> };

/**
 * A job's events for GET /v1/jobs/{jobId}/events. Without Last-Event-ID the stream starts with the job's current
 * status; with it (a seq this stream sent) it replays every event after it from job_events. Then each change as
 * it commits (the process's JobEventSource), and the ended job with its assets as the last event. The SSE id is
 * the job's seq, commit order, so a resume misses and repeats nothing. A resume after the last event is `ended`
 * (HTTP 204, which tells an EventSource to stop reconnecting). Another account's job is `not_found`.
 */
export async function openJobStream(args: {
  ctx: EngineContext;
  caller: Caller;
  scope: RequestScope;
  jobId: string;
  lastEventId?: string | null;
  signal: AbortSignal;
}): Promise<OpenedStream> {
  const { ctx, caller, jobId, signal } = args;
  const row = await findJob(ctx.db, caller.accountId, jobId);
  if (!row) throw new AppError("not_found", `No job ${jobId}.`);
  const resumeAfter = parseSeq(args.lastEventId);
  if (resumeAfter !== undefined && isEnded(row.status) && resumeAfter >= row.event_seq)
    return { kind: "ended" };
  // Subscribed before the state is read again below, so nothing committed in between is missed.
  const box = new Mailbox();
  const unsubscribe = ctx.jobEvents?.subscribe(
    { jobId },
    { onNote: (note) => box.push(note), onResync: () => box.requestResync() },
  );
  const ended = async (seq: number) => {
    const event = (await endedEvents(ctx, ctx.db, args.scope, caller.accountId, [jobId])).get(jobId)!;
    return message(event, String(seq));
  };
  async function* messages(): AsyncGenerator<SseMessage> {
    try {
      let seq: number;
      let catchUp = false;
      if (resumeAfter === undefined) {
        const now = (await findJob(ctx.db, caller.accountId, jobId))!;
        if (isEnded(now.status)) {
          yield await ended(now.event_seq);
          return;
        }
        seq = now.event_seq;
        yield message(
          changeEvent({ ...now, job_id: now.id, seq, kind: "status", at: now.updated_at }),
          String(seq),
        );
      } else {
        seq = resumeAfter;
        catchUp = true;
      }
      while (!signal.aborted) {
        if (catchUp) {
          catchUp = false;
          for (const event of await jobEventsAfter(ctx.db, jobId, seq)) {
            if (event.kind === "status" && isEnded(event.status)) {
              yield await ended(event.seq);
              return;
            }
            seq = event.seq;
            yield message(changeEvent(event), String(seq));
          }
        }
        const up = ctx.jobEvents?.up ?? false;
        const { notes, resync } = await box.take(up ? KEEPALIVE_MS : POLL_MS, signal);
        if (signal.aborted) return;
        if (resync || !up || notes.length === 0) catchUp = true;
        if (notes.length === 0 && up) yield { comment: "keep-alive" };
        for (const note of notes) {
          if (note.kind === "created" || note.seq <= seq) continue;
          // A gap (a notification missed) is filled from the table, in order.
          if (note.seq !== seq + 1) {
            catchUp = true;
            break;
          }
          if (note.kind === "status" && isEnded(note.status)) {
            yield await ended(note.seq);
            return;
          }
          seq = note.seq;
          yield message(changeEvent(noteChange(note)), String(seq));
        }
      }
    } finally {
      unsubscribe?.();
    }
  }
  return { kind: "stream", messages: messages() };
}

function parseSeq(value: string | null | undefined): number | undefined {
  if (!value || !/^\d{1,9}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}
