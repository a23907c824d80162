import type { Database } from "@mcpmediaengine/db";
import type { Kysely } from "kysely";

// A transaction is a Kysely too, so every function here runs inside one or alone.
type Db = Kysely<Database>;

export async function insertAccount(db: Db, row: { id: string; name: string }): Promise<void> {
  await db.insertInto("accounts").values(row).execute();
}

export async function findAccount(db: Db, accountId: string) {
  return db.selectFrom("accounts").selectAll().where("id", "=", accountId).executeTakeFirst();
}
