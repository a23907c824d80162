import type { Database } from "@mcpmediaengine/db";
import { type Kysely, sql } from "kysely";

// A transaction is a Kysely too, so every function here runs inside one or alone.
type Db = Kysely<Database>;

export async function insertSession(
  db: Db,
  row: {
    id: string;
    tokenHash: string;
    accountId: string;
    userId: string | null;
    apiKeyId: string | null;
    expiresAt: Date;
  },
): Promise<void> {
  await db
    .insertInto("sessions")
    .values({
      id: row.id,
      token_hash: row.tokenHash,
      account_id: row.accountId,
      user_id: row.userId,
      api_key_id: row.apiKeyId,
      expires_at: row.expiresAt,
    })
    .execute();
}

/**
 * A session that still works, with what a request needs to be judged: not revoked, not expired, and, when it was
 * opened with an API key, that key not revoked.
 */
export async function findLiveSession(db: Db, tokenHash: string) {
  return db
    .selectFrom("sessions as s")
    .innerJoin("accounts as a", "a.id", "s.account_id")
    .leftJoin("users as u", "u.id", "s.user_id")
    .leftJoin("api_keys as k", "k.id", "s.api_key_id")
    .select([
      "s.id",
      "s.account_id",
      "s.user_id",
      "s.api_key_id",
      "s.created_at",
      "s.expires_at",
      "a.name",
      "a.plan",
      "a.limits",
      "a.operator",
      "u.email",
    ])
    .where("s.token_hash", "=", tokenHash)
    .where("s.revoked_at", "is", null)
    .where("s.expires_at", ">", sql<Date>`now()`)
    .where((eb) => eb.or([eb("s.api_key_id", "is", null), eb("k.revoked_at", "is", null)]))
    .executeTakeFirst();
}

export async function revokeSession(db: Db, tokenHash: string): Promise<void> {
  await db
    .updateTable("sessions")
    .set({ revoked_at: sql`now()` })
    .where("token_hash", "=", tokenHash)
    .where("revoked_at", "is", null)
    .execute();
}

/** Forgets an account's sessions that ended more than a day ago; run when it opens a new one, so rows never pile up. */
export async function deleteEndedSessions(db: Db, accountId: string): Promise<void> {
  await db
    .deleteFrom("sessions")
    .where("account_id", "=", accountId)
    .where((eb) =>
      eb.or([
        eb("expires_at", "<", sql<Date>`now() - interval '1 day'`),
        eb("revoked_at", "<", sql<Date>`now() - interval '1 day'`),
      ]),
    )
    .execute();
}
