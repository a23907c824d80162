import { ID_PREFIXES, type Job, newId } from "@mcpmediaengine/contract";
import type { JobRow } from "@mcpmediaengine/db";
import type { Caller, EngineContext, RequestScope } from "../../context";
import { assetsOfJobs } from "../../repositories/assets";
import { watchedJobs } from "../../repositories/jobs";
import { presentJob } from "./present";

/** How often a live view looks for changes. One small indexed query per open view per tick. */
export const WATCH_INTERVAL_MS = 500;
/** Jobs created this long before a tick still count as new: API processes' clocks may differ a little. */
const CLOCK_MARGIN_MS = 10_000;

/**
 * Yields the caller's jobs as they change (created, started, progressed, ended), read from Postgres, so a view
 * follows jobs whichever process accepted or runs them. It first yields the jobs not yet ended, then every change
 * it sees; it ends when `signal` aborts.
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
    await sleep(args.intervalMs ?? WATCH_INTERVAL_MS, signal);
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

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
