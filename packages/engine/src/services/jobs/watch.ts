import { ID_PREFIXES, type Job, newId } from "@mcpmediaengine/contract";
import type { JobRow } from "@mcpmediaengine/db";
import type { Caller, EngineContext, RequestScope } from "../../context";
import { Mailbox } from "../../events/mailbox";
import { assetsOfJobs } from "../../repositories/assets";
import { watchedJobs } from "../../repositories/jobs";
import { presentJob } from "./present";

/**
 * How often a live view looks for changes while its process hears no job events (no listener, or its connection
 * is down). One small indexed query per open view per tick.
 */
export const WATCH_INTERVAL_MS = 500;
/** With job events heard, a view reads only when its account's jobs change, and this often as a safety net. */
const QUIET_CHECK_MS = 30_000;
/** Jobs created this long before a tick still count as new: API processes' clocks may differ a little. */
const CLOCK_MARGIN_MS = 10_000;

/**
 * Yields the caller's jobs as they change (created, started, progressed, ended), read from Postgres, so a view
 * follows jobs whichever process accepted or runs them. It first yields the jobs not yet ended, then every change
 * it sees; it ends when `signal` aborts. It reads when the process's JobEventSource announces a change of one of
 * the account's jobs (any replica's), and polls every `intervalMs` only while no events are heard.
 */
export async function* watchJobs(args: {
  ctx: EngineContext;
  caller: Caller;
  scope: RequestScope;
  signal?: AbortSignal;
  intervalMs?: number;
}): AsyncGenerator<Job> {
  const { ctx, caller, scope, signal } = args;
  const seen = new Map<string, string>();
  const changes = new Mailbox();
  const unsubscribe = ctx.jobEvents?.subscribe(
    { accountId: caller.accountId },
    { onNote: (note) => changes.push(note), onResync: () => changes.requestResync() },
  );
  try {
    let createdFromId = idAt(Date.now() - CLOCK_MARGIN_MS);
    while (!signal?.aborted) {
      const tickStarted = Date.now();
      const rows = await watchedJobs(ctx.db, {
        accountId: caller.accountId,
        ids: [...seen.keys()].filter((id) => id < createdFromId),
        createdFromId,
      });
      const changed = rows.filter((row) => seen.get(row.id) !== versionOf(row));
      const assets = await assetsOfJobs(
        ctx.db,
        changed.filter((r) => r.status === "completed").map((r) => r.id),
      );
      // Oldest first, so a view applies changes in the order they happened.
      for (const row of changed.reverse()) {
        seen.set(row.id, versionOf(row));
        yield presentJob(ctx, scope, row, assets.get(row.id) ?? []);
      }
      createdFromId = idAt(tickStarted - CLOCK_MARGIN_MS);
      // Keep only what the next query can return again: unfinished jobs and those still inside the margin.
      for (const row of rows) if (!isUnfinished(row) && row.id < createdFromId) seen.delete(row.id);
      const heard = ctx.jobEvents?.up ?? false;
      await changes.take(heard ? QUIET_CHECK_MS : (args.intervalMs ?? WATCH_INTERVAL_MS), signal);
    }
  } finally {
    unsubscribe?.();
  }
}

function isUnfinished(row: JobRow): boolean {
  return row.status === "queued" || row.status === "processing";
}

function versionOf(row: JobRow): string {
  return `${row.status}|${row.progress}|${row.attempts}|${row.updated_at.getTime()}`;
}

/** The smallest job id made at `ms`: ids begin with their creation time, and 0 is the alphabet's first. */
function idAt(ms: number): string {
  const id = newId("job", ms);
  return `${id.slice(0, ID_PREFIXES.job.length + 11)}${"0".repeat(14)}`;
}
