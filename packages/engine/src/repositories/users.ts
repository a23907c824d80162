import type { Database } from "@mcpmediaengine/db";
import type { Kysely } from "kysely";

// A transaction is a Kysely too, so every function here runs inside one or alone.
type Db = Kysely<Database>;

export async function insertUser(
  db: Db,
  row: { id: string; accountId: string; email: string; passwordHash: string },
): Promise<void> {
  await db
    .insertInto("users")
    .values({ id: row.id, account_id: row.accountId, email: row.email, password_hash: row.passwordHash })
    .execute();
}

/** The email as stored (lower-cased). */
export async function findUserByEmail(db: Db, email: string) {
  return db
    .selectFrom("users")
    .select(["id", "account_id", "email", "password_hash"])
    .where("email", "=", email)
    .executeTakeFirst();
}
