import { newId } from "@mcpmediaengine/contract";
import type { Database } from "@mcpmediaengine/db";
import { type Kysely, sql } from "kysely";

// A transaction is a Kysely too, so every function here runs inside one or alone.
type Db = Kysely<Database>;

export interface CreditEntry {
  accountId: string;
  kind: "grant" | "refund" | "adjustment";
  amount: number;
  reason?: string;
  /** Grants only: the period granted. A second grant of one period writes nothing. */
  period?: string;
  jobId?: string;
  /** The Stripe event the entry was made for (a paid invoice's grant). */
  stripeEventId?: string;
}

/**
 * Posts one ledger entry and moves the balance by its amount, in one statement. Returns the new balance, or
 * undefined when the entry was a repeat of a grant already made. A negative amount larger than the balance fails
 * on the balance's check constraint (23514) and writes nothing.
 */
export async function postCredits(db: Db, entry: CreditEntry): Promise<{ balance: number } | undefined> {
  const result = await sql<{ balance: string }>`
    with entry as (
      insert into credit_ledger (id, account_id, kind, amount, reason, period, job_id, stripe_event_id)
      values (${newId("ledgerEntry")}, ${entry.accountId}, ${entry.kind}, ${entry.amount}, ${entry.reason ?? null},
        ${entry.period ?? null}, ${entry.jobId ?? null}, ${entry.stripeEventId ?? null})
      on conflict do nothing
      returning account_id, amount
    )
    update accounts set balance = accounts.balance + entry.amount
    from entry where accounts.id = entry.account_id
    returning accounts.balance`.execute(db);
  const row = result.rows[0];
  return row ? { balance: Number(row.balance) } : undefined;
}

/** What the account's jobs hold now: the cost of every job that is queued or processing. */
export async function heldCredits(db: Db, accountId: string): Promise<number> {
  const row = await db
    .selectFrom("jobs")
    .select(sql<string>`coalesce(sum(cost_credits), 0)`.as("held"))
    .where("account_id", "=", accountId)
    .where("status", "in", ["queued", "processing"])
    .executeTakeFirstOrThrow();
  return Number(row.held);
}

/** Credits captured and jobs completed in [from, to). */
export async function usageBetween(
  db: Db,
  accountId: string,
  from: Date,
  to: Date,
): Promise<{ creditsSpent: number; jobsCompleted: number }> {
  const row = await db
    .selectFrom("jobs")
    .select([sql<string>`coalesce(sum(cost_credits), 0)`.as("spent"), sql<string>`count(*)`.as("completed")])
    .where("account_id", "=", accountId)
    .where("status", "=", "completed")
    .where("completed_at", ">=", from)
    .where("completed_at", "<", to)
    .executeTakeFirstOrThrow();
  return { creditsSpent: Number(row.spent), jobsCompleted: Number(row.completed) };
}

/** The ledger sum beside the balance, for the invariant checks of tests and of the admin usage view. */
export async function ledgerSum(db: Db, accountId: string): Promise<{ ledger: number; balance: number }> {
  const row = await sql<{ ledger: string; balance: string }>`
    select coalesce((select sum(amount) from credit_ledger where account_id = ${accountId}), 0) as ledger,
      (select balance from accounts where id = ${accountId}) as balance`.execute(db);
  return { ledger: Number(row.rows[0]?.ledger), balance: Number(row.rows[0]?.balance) };
}
