import { type Account, AppError, PLANS, type PlanLimits } from "@mcpmediaengine/contract";
import type { Caller, EngineContext } from "../../context";
import { findAccount } from "../../repositories/accounts";
import { heldCredits, usageBetween } from "../../repositories/credits";

/** The caller's account: plan, balance, what running jobs hold, this month's use and the limits that apply. */
export async function getAccount(args: { ctx: EngineContext; caller: Caller; now?: Date }): Promise<Account> {
  return accountView(args.ctx, args.caller.accountId, args.now);
}

/** Any account, as its owner sees it; for the admin API too. */
export async function accountView(ctx: EngineContext, accountId: string, now = new Date()): Promise<Account> {
  const account = await findAccount(ctx.db, accountId);
  if (!account) throw new AppError("not_found", "No such account.");
  const periodStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const periodEnd = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  const [held, usage] = await Promise.all([
    heldCredits(ctx.db, account.id),
    usageBetween(ctx.db, account.id, periodStart, periodEnd),
  ]);
  return {
    accountId: account.id,
    name: account.name,
    plan: account.plan,
    balance: Number(account.balance),
    held,
    usage: { periodStart: periodStart.toISOString(), periodEnd: periodEnd.toISOString(), ...usage },
    limits: limitsOf(account),
    billing: {
      subscribed: account.stripe_subscription_id !== null,
      pastDue: account.past_due_since !== null,
      pastDueSince: account.past_due_since?.toISOString() ?? null,
      downgradeAt: account.downgrade_at?.toISOString() ?? null,
      planEndsAt: account.plan_ends_at?.toISOString() ?? null,
    },
    createdAt: account.created_at.toISOString(),
  };
}

/** The plan's limits, with an enterprise account's own terms over them. */
export function limitsOf(account: {
  plan: keyof typeof PLANS;
  limits: Record<string, number> | null;
}): PlanLimits {
  const base = PLANS[account.plan].limits;
  if (account.plan !== "enterprise" || !account.limits) return base;
  return { ...base, ...account.limits };
}
