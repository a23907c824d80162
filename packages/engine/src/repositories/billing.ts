import type { BillingChange, Database, PlanColumn } from "@mcpmediaengine/db";
import type { Kysely } from "kysely";

// A transaction is a Kysely too, so every function here runs inside one or alone.
type Db = Kysely<Database>;

/** Remembers the account's Stripe customer unless it already has one; returns the one it has now. */
export async function rememberStripeCustomer(db: Db, accountId: string, customerId: string): Promise<string> {
  await db
    .updateTable("accounts")
    .set({ stripe_customer_id: customerId })
    .where("id", "=", accountId)
    .where("stripe_customer_id", "is", null)
    .execute();
  const row = await db
    .selectFrom("accounts")
    .select("stripe_customer_id")
    .where("id", "=", accountId)
    .executeTakeFirstOrThrow();
  return row.stripe_customer_id ?? customerId;
}

/** The account of a Stripe customer, locked for the event's changes. */
export async function lockAccountOfCustomer(db: Db, customerId: string) {
  return db
    .selectFrom("accounts")
    .selectAll()
    .where("stripe_customer_id", "=", customerId)
    .forUpdate()
    .executeTakeFirst();
}

/** Keeps an event id once: false when it was already kept (a replay or a duplicate delivery). */
export async function keepStripeEvent(
  db: Db,
  event: { id: string; type: string; accountId: string | null; created: Date },
): Promise<boolean> {
  const row = await db
    .insertInto("stripe_events")
    .values({ id: event.id, type: event.type, account_id: event.accountId, created_at: event.created })
    .onConflict((oc) => oc.column("id").doNothing())
    .returning("id")
    .executeTakeFirst();
  return row !== undefined;
}

export async function recordBillingChange(
  db: Db,
  row: { accountId: string; eventId: string; change: BillingChange; before: PlanColumn; after: PlanColumn },
): Promise<void> {
  await db
    .insertInto("billing_changes")
    .values({
      account_id: row.accountId,
      stripe_event_id: row.eventId,
      change: row.change,
      plan_before: row.before,
      plan_after: row.after,
    })
    .execute();
}

export interface BillingState {
  plan: PlanColumn;
  stripe_subscription_id: string | null;
  past_due_since: Date | null;
  past_due_event_id: string | null;
  downgrade_at: Date | null;
  plan_ends_at: Date | null;
}

export async function setBillingState(db: Db, accountId: string, state: BillingState): Promise<void> {
  await db.updateTable("accounts").set(state).where("id", "=", accountId).execute();
}

/** Past-due accounts whose grace period ended before `now` and that still hold a paid plan, locked. */
export async function lockLapsedAccounts(db: Db, now: Date) {
  return db
    .selectFrom("accounts")
    .select(["id", "plan", "past_due_event_id"])
    .where("downgrade_at", "<=", now)
    .where("plan", "in", ["starter", "pro"])
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function setPlan(db: Db, accountId: string, plan: PlanColumn): Promise<void> {
  await db.updateTable("accounts").set({ plan }).where("id", "=", accountId).execute();
}
