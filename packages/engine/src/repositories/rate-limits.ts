import type { Database } from "@mcpmediaengine/db";
import { type Kysely, sql } from "kysely";

/**
 * Counts one request of a key in the current one-minute window (by the database's clock, so every server agrees)
 * and returns the count so far and the seconds until the window ends.
 */
export async function countRequest(
  db: Kysely<Database>,
  keyId: string,
): Promise<{ count: number; resetSeconds: number }> {
  const result = await sql<{ count: number; reset: string }>`
    insert into rate_limit_windows (key_id, window_start, count)
    values (${keyId}, date_trunc('minute', now()), 1)
    on conflict (key_id, window_start) do update set count = rate_limit_windows.count + 1
    returning count, extract(epoch from window_start + interval '1 minute' - now()) as reset`.execute(db);
  const row = result.rows[0]!;
  return { count: row.count, resetSeconds: Math.max(1, Math.ceil(Number(row.reset))) };
}

/** Drops windows that have ended. */
export async function deleteEndedWindows(db: Kysely<Database>): Promise<number> {
  const result =
    await sql`delete from rate_limit_windows where window_start < now() - interval '2 minutes'`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
