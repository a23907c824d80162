import { PLANS } from "@mcpmediaengine/contract";
import type { EngineContext } from "../../context";
import { postCredits } from "../../repositories/credits";
import { monthlyGrantOf, monthPeriod } from "./plan-grants";

/**
 * Grants every account on a monthly plan its credits for the month `at` falls in. Idempotent per account and
 * month (the ledger allows one grant per account and period), so a re-run, a backfill or a second worker running
 * it at the same moment grants nothing twice. Unused credits roll over. Accounts paying through Stripe are
 * granted by their paid invoices instead. Returns how many accounts were granted.
 */
export async function grantMonthlyCredits(args: { ctx: EngineContext; at: Date }): Promise<number> {
  const { ctx } = args;
  const period = monthPeriod(args.at);
  const accounts = await ctx.db
    .selectFrom("accounts")
    .select(["id", "plan", "monthly_grant"])
    .where("plan", "in", ["starter", "pro", "enterprise"])
    // A Stripe subscription's credits come with its paid invoices (one grant per invoice period), not the calendar.
    .where("stripe_subscription_id", "is", null)
    .orderBy("id")
    .execute();
  let granted = 0;
  for (const account of accounts) {
    const credits = monthlyGrantOf(account.plan, account.monthly_grant);
    if (credits <= 0) continue;
    const posted = await postCredits(ctx.db, {
      accountId: account.id,
      kind: "grant",
      amount: credits,
      period,
      reason: `${PLANS[account.plan].name} plan, ${period}`,
    });
    if (posted) granted++;
  }
  return granted;
}
