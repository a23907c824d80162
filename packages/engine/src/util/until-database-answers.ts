import { isConnectionError } from "@mcpmediaengine/db";

/**
 * Runs a write that must not be lost (a job's result) until the database takes it: while the database is away the
 * write is tried again with a pause growing from a quarter second to five, however long the outage lasts. Any
 * other error is thrown at once. The writes this wraps are fenced by the job's lease, so trying again is safe.
 */
export async function untilDatabaseAnswers<T>(write: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  let pauseMs = 250;
  for (;;) {
    try {
      return await write();
    } catch (error) {
      if (!isConnectionError(error) || signal?.aborted) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
    pauseMs = Math.min(pauseMs * 2, 5000);
  }
}
