import type { Database, PlanColumn } from "@mcpmediaengine/db";
import type { Kysely } from "kysely";

// A transaction is a Kysely too, so every function here runs inside one or alone.
type Db = Kysely<Database>;

export async function insertAccount(
  db: Db,
  row: { id: string; name: string; plan: PlanColumn; monthlyGrant?: number | null },
): Promise<void> {
  await db
    .insertInto("accounts")
    .values({ id: row.id, name: row.name, plan: row.plan, monthly_grant: row.monthlyGrant ?? null })
    .execute();
}

export async function setAccountPlan(db: Db, accountId: string, plan: PlanColumn): Promise<void> {
  await db.updateTable("accounts").set({ plan }).where("id", "=", accountId).execute();
}

export async function findAccount(db: Db, accountId: string) {
  return db.selectFrom("accounts").selectAll().where("id", "=", accountId).executeTakeFirst();
}
