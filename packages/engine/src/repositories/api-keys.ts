import type { Database } from "@mcpmediaengine/db";
import { type Kysely, sql } from "kysely";

// A transaction is a Kysely too, so every function here runs inside one or alone.
type Db = Kysely<Database>;

/** An active key with its account's plan and custom limits (what every request needs to be judged). */
export async function findActiveKeyByHash(db: Db, keyHash: string) {
  return db
    .selectFrom("api_keys")
    .innerJoin("accounts", "accounts.id", "api_keys.account_id")
    .select(["api_keys.id", "api_keys.account_id", "accounts.plan", "accounts.limits"])
    .where("api_keys.key_hash", "=", keyHash)
    .where("api_keys.revoked_at", "is", null)
    .executeTakeFirst();
}

export async function insertApiKey(
  db: Db,
  row: { id: string; accountId: string; name: string; keyHash: string; keyHint: string },
): Promise<void> {
  await db
    .insertInto("api_keys")
    .values({
      id: row.id,
      account_id: row.accountId,
      name: row.name,
      key_hash: row.keyHash,
      key_hint: row.keyHint,
    })
    .onConflict((oc) => oc.column("key_hash").doNothing())
    .execute();
}

export async function countApiKeys(db: Db): Promise<number> {
  const row = await db
    .selectFrom("api_keys")
    .select(sql<number>`count(*)::int`.as("n"))
    .executeTakeFirstOrThrow();
  return row.n;
}

/** Revokes a key that is not revoked yet; its hash, so this process can drop it from its cache at once. */
export async function revokeApiKey(
  db: Db,
  keyId: string,
): Promise<{ key_hash: string; revoked_at: Date } | undefined> {
  return db
    .updateTable("api_keys")
    .set({ revoked_at: sql`now()` })
    .where("id", "=", keyId)
    .where("revoked_at", "is", null)
    .returning(["key_hash", "revoked_at"])
    .executeTakeFirst() as Promise<{ key_hash: string; revoked_at: Date } | undefined>;
}

export async function findApiKey(db: Db, keyId: string) {
  return db.selectFrom("api_keys").select(["id", "revoked_at"]).where("id", "=", keyId).executeTakeFirst();
}

/** The oldest active key of the operator's start-up account (the one given the bootstrap grant). */
export async function findOperatorKey(db: Db) {
  return db
    .selectFrom("credit_ledger as l")
    .innerJoin("accounts as a", "a.id", "l.account_id")
    .innerJoin("api_keys as k", (join) =>
      join.onRef("k.account_id", "=", "a.id").on("k.revoked_at", "is", null),
    )
    .select(["a.id as account_id", "k.id as key_id", "a.plan", "a.limits"])
    .where("l.kind", "=", "grant")
    .where("l.period", "=", "bootstrap")
    .orderBy("l.created_at")
    .orderBy("k.created_at")
    .limit(1)
    .executeTakeFirst();
}

/** Writes when the key was last used, unless another process did so in the last minute. */
export async function touchKeyUse(db: Db, keyId: string): Promise<void> {
  await sql`update api_keys set last_used_at = now()
    where id = ${keyId} and (last_used_at is null or last_used_at < now() - interval '1 minute')`.execute(db);
}

const KEY_COLUMNS = ["id", "name", "key_hint", "created_at", "last_used_at", "revoked_at"] as const;

/** An account's keys, working ones first, newest first (key ids begin with their creation time). */
export async function listAccountKeys(db: Db, accountId: string) {
  return db
    .selectFrom("api_keys")
    .select(KEY_COLUMNS)
    .where("account_id", "=", accountId)
    .orderBy(sql`revoked_at is null`, "desc")
    .orderBy("id", "desc")
    .execute();
}

export async function findAccountKey(db: Db, accountId: string, keyId: string) {
  return db
    .selectFrom("api_keys")
    .select([...KEY_COLUMNS, "key_hash"])
    .where("id", "=", keyId)
    .where("account_id", "=", accountId)
    .executeTakeFirst();
}

export async function countActiveKeys(db: Db, accountId: string): Promise<number> {
  const row = await db
    .selectFrom("api_keys")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("account_id", "=", accountId)
    .where("revoked_at", "is", null)
    .executeTakeFirstOrThrow();
  return row.n;
}
