import type { Database } from "@mcpmediaengine/db";
import { type Kysely, sql } from "kysely";

type Db = Kysely<Database>;

// Any constant of ours: every process's session openings take turns on it, so no two can both see room under a cap.
const OPEN_LOCK = 4_242_017;

export interface McpSessionRecord {
  id: string;
  accountId: string;
  keyId: string;
  protocolVersion: string;
  clientCapabilities: Record<string, unknown>;
  clientInfo: { name: string; version: string };
}

/**
 * Inserts a session after closing, least recently used first and idle ones before busy ones, as many of the key's
 * sessions and of all sessions as the caps need. One transaction under one advisory lock for every process; the
 * ids closed are returned (each delete also notifies every process, by trigger).
 */
export async function insertSessionWithinCaps(
  db: Db,
  session: McpSessionRecord,
  caps: { perKey: number; inAll: number },
  busyNow: readonly string[],
): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${OPEN_LOCK})`.execute(trx);
    // The caller's own busy sessions are busy whatever the table says: its heartbeat may not have written them yet.
    const closed = [
      ...(await closeOldest(trx, sql`key_id = ${session.keyId}`, caps.perKey - 1, busyNow)),
      ...(await closeOldest(trx, sql`true`, caps.inAll - 1, busyNow)),
    ];
    await trx
      .insertInto("mcp_sessions")
      .values({
        id: session.id,
        account_id: session.accountId,
        key_id: session.keyId,
        protocol_version: session.protocolVersion,
        client_capabilities: JSON.stringify(session.clientCapabilities),
        client_info: JSON.stringify(session.clientInfo),
      })
      .execute();
    return closed;
  });
}

/** Deletes the oldest sessions matching `which` until at most `keep` are left; their ids. */
async function closeOldest(
  db: Db,
  which: ReturnType<typeof sql>,
  keep: number,
  busyNow: readonly string[],
): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    delete from mcp_sessions where id in (
      select id from mcp_sessions where ${which}
      order by (busy_until > now() or id = any(${busyNow as string[]})) is true, last_seen_at, created_at
      limit greatest(0, (select count(*) from mcp_sessions where ${which}) - ${keep}))
    returning id`.execute(db);
  return rows.map((r) => r.id);
}

/**
 * The session if it is open and the account's, marked used now (and busy, for a request that holds a stream open
 * from its start). Undefined for a closed session, or another account's.
 */
export async function touchSession(
  db: Db,
  id: string,
  accountId: string,
  busyForMs: number | undefined,
): Promise<McpSessionRecord | undefined> {
  const row = await db
    .updateTable("mcp_sessions")
    .set({
      last_seen_at: sql`now()`,
      ...(busyForMs !== undefined && { busy_until: sql`now() + ${busyForMs} * interval '1 millisecond'` }),
    })
    .where("id", "=", id)
    .where("account_id", "=", accountId)
    .returning(["id", "account_id", "key_id", "protocol_version", "client_capabilities", "client_info"])
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      accountId: row.account_id,
      keyId: row.key_id,
      protocolVersion: row.protocol_version,
      clientCapabilities: row.client_capabilities,
      clientInfo: row.client_info,
    }
  );
}

/** Marks sessions busy for the next `forMs` (a process's heartbeat over the streams it holds open). */
export async function markSessionsBusy(db: Db, ids: readonly string[], forMs: number): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable("mcp_sessions")
    .set({ busy_until: sql`now() + ${forMs} * interval '1 millisecond'` })
    .where("id", "in", ids)
    .execute();
}

/** A session's last stream here has ended: idle again (its place in the order of use is its last request's start). */
export async function markSessionIdle(db: Db, id: string): Promise<void> {
  await db.updateTable("mcp_sessions").set({ busy_until: null }).where("id", "=", id).execute();
}

/** Deletes the account's session; whether it was open. */
export async function deleteSession(db: Db, id: string, accountId: string): Promise<boolean> {
  const result = await db
    .deleteFrom("mcp_sessions")
    .where("id", "=", id)
    .where("account_id", "=", accountId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Deletes sessions unused for `idleMs` and holding no stream open; their ids. */
export async function deleteIdleSessions(db: Db, idleMs: number): Promise<string[]> {
  const rows = await db
    .deleteFrom("mcp_sessions")
    .where("last_seen_at", "<", sql<Date>`now() - ${idleMs} * interval '1 millisecond'`)
    .where(sql<boolean>`(busy_until > now()) is not true`)
    .returning("id")
    .execute();
  return rows.map((r) => r.id);
}

/** Of these ids, those still open. */
export async function openSessionIds(db: Db, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom("mcp_sessions").select("id").where("id", "in", ids).execute();
  return new Set(rows.map((r) => r.id));
}

export async function countSessions(db: Db, keyId?: string): Promise<number> {
  let query = db.selectFrom("mcp_sessions").select(sql<number>`count(*)::int`.as("n"));
  if (keyId) query = query.where("key_id", "=", keyId);
  return (await query.executeTakeFirstOrThrow()).n;
}
