import { isConnectionError } from "@mcpmediaengine/db";
import type { Log } from "@mcpmediaengine/engine";

/**
 * The last line of defence of a long-running engine process: a connection error that nothing awaited (a library's
 * fire-and-forget write, such as graphile-worker's record of a job's end, cut off by the database going away) must
 * not end the process; the DatabaseWatch has already said the database is lost. Any other unhandled rejection still
 * ends the process, as Node's default does.
 */
export function surviveDatabaseOutages(log: Log): void {
  process.on("unhandledRejection", (reason) => {
    if (!isConnectionError(reason)) throw reason;
    log.debug("a background database write failed while the database was away", { error: String(reason) });
  });
}
