import type { Database, PlanColumn } from "@mcpmediaengine/db";
import type { Kysely } from "kysely";

// A transaction is a Kysely too, so every function here runs inside one or alone.
type Db = Kysely<Database>;

export interface AccountTerms {
  plan: PlanColumn;
  /** Enterprise: credits a month instead of the plan's. */
  monthlyGrant?: number | null;
  /** Enterprise: limits over the plan's. */
  limits?: Record<string, number> | null;
}

export async function insertAccount(db: Db, row: { id: string; name: string } & AccountTerms): Promise<void> {
  await db
    .insertInto("accounts")
    .values({
      id: row.id,
      name: row.name,
      plan: row.plan,
      monthly_grant: row.monthlyGrant ?? null,
      limits: row.limits ? JSON.stringify(row.limits) : null,
    })
    .execute();
}

/** Sets the plan; monthly grant and limits change only when given (null clears them). False: no such account. */
export async function setAccountTerms(db: Db, accountId: string, terms: AccountTerms): Promise<boolean> {
  const result = await db
    .updateTable("accounts")
    .set({
      plan: terms.plan,
      ...(terms.monthlyGrant !== undefined && { monthly_grant: terms.monthlyGrant }),
      ...(terms.limits !== undefined && { limits: terms.limits ? JSON.stringify(terms.limits) : null }),
    })
    .where("id", "=", accountId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function findAccount(db: Db, accountId: string) {
  return db.selectFrom("accounts").selectAll().where("id", "=", accountId).executeTakeFirst();
}

/** The operator's account: its browser sessions may use the admin API. */
export async function markOperator(db: Db, accountId: string): Promise<void> {
  await db
    .updateTable("accounts")
    .set({ operator: true })
    .where("id", "=", accountId)
    .where("operator", "=", false)
    .execute();
}

/**
 * Accounts newest first (account ids begin with their creation time), with their owner's email. `search` matches
 * the id exactly, or the name or email anywhere, in any case.
 */
export async function listAccounts(db: Db, f: { search?: string; beforeId?: string; limit: number }) {
  let q = db
    .selectFrom("accounts as a")
    .leftJoin("users as u", "u.account_id", "a.id")
    .select(["a.id", "a.name", "a.plan", "a.balance", "a.operator", "a.created_at", "u.email"]);
  if (f.search) {
    const pattern = `%${f.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) =>
      eb.or([eb("a.id", "=", f.search!), eb("a.name", "ilike", pattern), eb("u.email", "ilike", pattern)]),
    );
  }
  if (f.beforeId) q = q.where("a.id", "<", f.beforeId);
  return q.orderBy("a.id", "desc").limit(f.limit).execute();
}
