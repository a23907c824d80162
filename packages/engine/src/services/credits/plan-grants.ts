import { PLANS, type PlanId } from "@mcpmediaengine/contract";
import type { Database } from "@mcpmediaengine/db";
import type { Kysely } from "kysely";
import { postCredits } from "../../repositories/credits";

/** The calendar month (UTC) a moment falls in, as the grant period "YYYY-MM". */
export function monthPeriod(at: Date): string {
  return at.toISOString().slice(0, 7);
}

/** The credits a plan grants each month; an enterprise account's own grant replaces its plan's. */
export function monthlyGrantOf(plan: PlanId, customMonthlyGrant: number | null): number {
  if (plan === "enterprise" && customMonthlyGrant !== null) return customMonthlyGrant;
  return PLANS[plan].grant.every === "month" ? PLANS[plan].grant.credits : 0;
}

/**
 * The grant an account gets when it opens: the free plan's one-time credits, or this month's grant of a monthly
 * plan (so the monthly run does not grant the same month twice).
 */
export async function grantOpeningCredits(
  db: Kysely<Database>,
  account: { id: string; plan: PlanId; monthlyGrant: number | null },
  options: { now?: Date; credits?: number } = {},
): Promise<void> {
  const plan = PLANS[account.plan];
  const now = options.now ?? new Date();
  if (plan.grant.every === "once") {
    await postCredits(db, {
      accountId: account.id,
      kind: "grant",
      amount: options.credits ?? plan.grant.credits,
      period: "signup",
      reason: `${plan.name} plan`,
    });
    return;
  }
  const credits = options.credits ?? monthlyGrantOf(account.plan, account.monthlyGrant);
  if (credits > 0) {
    await postCredits(db, {
      accountId: account.id,
      kind: "grant",
      amount: credits,
      period: monthPeriod(now),
      reason: `${plan.name} plan, ${monthPeriod(now)}`,
    });
  }
}
