import { isConnectionError } from "@mcpmediaengine/db";
import type { EngineContext } from "../context";
import type { Log } from "../logger";
import { cancelOverdueJobs } from "../services/jobs/deadlines";

/**
 * Every worker process cancels overdue jobs (cancelAfter) about once a second: one query on a partial index of
 * unfinished jobs with a deadline, so an idle sweep costs next to nothing. A run in progress is aborted by its
 * worker's run watch once its job reads canceled.
 */
export function startDeadlineSweep(
  ctx: EngineContext,
  log: Log,
  intervalMs = 1000,
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    running = cancelOverdueJobs(ctx)
      .catch((error: unknown) =>
        (isConnectionError(error) ? log.debug : log.warn)("deadline sweep failed", { error: String(error) }),
      )
      .finally(() => {
        busy = false;
      });
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
