import type { Database } from "@mcpmediaengine/db";
import { type Kysely, sql } from "kysely";

type Db = Kysely<Database>;

/** How long a first response is kept and replayed. */
export const IDEMPOTENCY_TTL = "24 hours";
/** A key still running after this long belongs to a request whose process died; a retry may take it over. */
export const IDEMPOTENCY_STALE = "60 seconds";

export interface KeyClaim {
  accountId: string;
  key: string;
  requestHash: string;
}

/**
 * Claims each key for its request, in one statement: true where the key is new (or expired, or abandoned by a
 * dead process). A key that appears twice in `claims` is claimed at most once, by its first appearance.
 */
export async function claimKeys(db: Db, claims: KeyClaim[]): Promise<boolean[]> {
  const seen = new Set<string>();
  const first = claims.map((c) => {
    const id = `${c.accountId}\n${c.key}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  const rows = claims.filter((_, i) => first[i]);
  const result = await sql<{ account_id: string; key: string }>`
    insert into idempotency_keys (account_id, key, request_hash)
    select * from unnest(
      ${rows.map((c) => c.accountId)}::text[], ${rows.map((c) => c.key)}::text[],
      ${rows.map((c) => c.requestHash)}::text[])
    on conflict (account_id, key) do update
      set request_hash = excluded.request_hash, response_status = null, response_body = null, created_at = now()
      where idempotency_keys.created_at < now() - ${IDEMPOTENCY_TTL}::interval
        or (idempotency_keys.response_status is null
          and idempotency_keys.request_hash = excluded.request_hash
          and idempotency_keys.created_at < now() - ${IDEMPOTENCY_STALE}::interval)
    returning account_id, key`.execute(db);
  const claimed = new Set(result.rows.map((r) => `${r.account_id}\n${r.key}`));
  return claims.map((c, i) => first[i]! && claimed.has(`${c.accountId}\n${c.key}`));
}

export async function findKey(db: Db, accountId: string, key: string) {
  return db
    .selectFrom("idempotency_keys")
    .select([
      "request_hash",
      "response_status",
      "response_body",
      "job_id",
      "batch_id",
      sql<boolean>`created_at < now() - ${IDEMPOTENCY_TTL}::interval`.as("expired"),
    ])
    .where("account_id", "=", accountId)
    .where("key", "=", key)
    .executeTakeFirst();
}

/** Deletes the key if its 24 hours are over (the sweep may not have reached it yet). */
export async function deleteExpiredKey(db: Db, accountId: string, key: string): Promise<void> {
  await sql`delete from idempotency_keys
    where account_id = ${accountId} and key = ${key} and created_at < now() - ${IDEMPOTENCY_TTL}::interval`.execute(
    db,
  );
}

export interface KeyResponse {
  accountId: string;
  key: string;
  status: number;
  body: string;
}

/** Keeps each first response for its key's retries, in one statement. */
export async function saveResponses(db: Db, responses: KeyResponse[]): Promise<void> {
  await sql`
    update idempotency_keys k set response_status = r.status, response_body = r.body
    from unnest(
      ${responses.map((r) => r.accountId)}::text[], ${responses.map((r) => r.key)}::text[],
      ${responses.map((r) => r.status)}::int[], ${responses.map((r) => r.body)}::text[]
    ) as r (account_id, key, status, body)
    where k.account_id = r.account_id and k.key = r.key`.execute(db);
}

/** Forgets a key whose request failed on our side, so a retry runs it again. */
export async function releaseKey(db: Db, accountId: string, key: string): Promise<void> {
  await db
    .deleteFrom("idempotency_keys")
    .where("account_id", "=", accountId)
    .where("key", "=", key)
    .where("response_status", "is", null)
    .execute();
}

export async function deleteExpiredKeys(db: Db): Promise<number> {
  const result =
    await sql`delete from idempotency_keys where created_at < now() - ${IDEMPOTENCY_TTL}::interval`.execute(
      db,
    );
  return Number(result.numAffectedRows ?? 0);
}
