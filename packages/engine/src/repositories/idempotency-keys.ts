import type { Database } from "@mcpmediaengine/db";
import { type Kysely, sql } from "kysely";

type Db = Kysely<Database>;

/** How long a first response is kept and replayed. */
export const IDEMPOTENCY_TTL = "24 hours";
/** A key still running after this long belongs to a request whose process died; a retry may take it over. */
export const IDEMPOTENCY_STALE = "60 seconds";

/** Claims the key for this request: true if it is new (or expired, or abandoned by a dead process). */
export async function claimKey(
  db: Db,
  accountId: string,
  key: string,
  requestHash: string,
): Promise<boolean> {
  const result = await sql<{ claimed: boolean }>`
    insert into idempotency_keys (account_id, key, request_hash) values (${accountId}, ${key}, ${requestHash})
    on conflict (account_id, key) do update
      set request_hash = excluded.request_hash, response_status = null, response_body = null, created_at = now()
      where idempotency_keys.created_at < now() - ${IDEMPOTENCY_TTL}::interval
        or (idempotency_keys.response_status is null
          and idempotency_keys.request_hash = excluded.request_hash
          and idempotency_keys.created_at < now() - ${IDEMPOTENCY_STALE}::interval)
    returning true as claimed`.execute(db);
  return result.rows.length > 0;
}

export async function findKey(db: Db, accountId: string, key: string) {
  return db
    .selectFrom("idempotency_keys")
    .select(["request_hash", "response_status", "response_body"])
    .where("account_id", "=", accountId)
    .where("key", "=", key)
    .executeTakeFirst();
}

export async function saveResponse(
  db: Db,
  accountId: string,
  key: string,
  response: { status: number; body: string },
): Promise<void> {
  await db
    .updateTable("idempotency_keys")
    .set({ response_status: response.status, response_body: response.body })
    .where("account_id", "=", accountId)
    .where("key", "=", key)
    .execute();
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
