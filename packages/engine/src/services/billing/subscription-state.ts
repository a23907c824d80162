import type { PlanColumn } from "@mcpmediaengine/db";
import type Stripe from "stripe";
import type { StripeBilling } from "../../billing/stripe-billing";
import type { BillingState } from "../../repositories/billing";

/** What a change did, for the billing_changes log. */
export type Change = "plan" | "past_due" | "paid_up" | "cancel_at_period_end" | "cancel_undone";

const LIVE = new Set(["active", "trialing", "past_due", "unpaid"]);
const ENDED = new Set(["canceled", "incomplete_expired"]);

/** The end of the subscription's current period (on its item since API 2025-03-31, on the subscription before). */
export function periodEndOf(sub: Stripe.Subscription): Date | null {
  const legacy = (sub as unknown as { current_period_end?: number }).current_period_end;
  const seconds = sub.items?.data?.[0]?.current_period_end ?? legacy ?? sub.cancel_at ?? null;
  return seconds ? new Date(seconds * 1000) : null;
}

/**
 * The account's billing state once it follows the subscription as Stripe has it now. Read from Stripe when the
 * event arrives, not from the event's copy, so events applied in any order end in Stripe's present state.
 * A subscription other than the account's own that has ended changes nothing (an old one's late event).
 */
export function followSubscription(
  stripe: StripeBilling,
  account: BillingState,
  sub: Stripe.Subscription,
  eventId: string,
  now: Date,
  graceMs: number,
): { state: BillingState; changes: Change[] } {
  const changes: Change[] = [];
  const state = { ...account };
  const own = account.stripe_subscription_id === null || account.stripe_subscription_id === sub.id;
  if (ENDED.has(sub.status)) {
    if (own && account.stripe_subscription_id !== null) {
      state.stripe_subscription_id = null;
      state.plan_ends_at = null;
      Object.assign(state, paidUp());
      if (account.plan === "starter" || account.plan === "pro") state.plan = "free";
      if (state.plan !== account.plan) changes.push("plan");
    }
    return { state, changes };
  }
  if (!LIVE.has(sub.status)) return { state, changes }; // incomplete: not paid yet
  const plan = stripe.planOfPrice(sub.items?.data?.[0]?.price?.id);
  if (!plan || account.plan === "enterprise") return { state, changes };
  state.stripe_subscription_id = sub.id;
  const pastDue = sub.status === "past_due" || sub.status === "unpaid";
  if (pastDue && !account.past_due_since) {
    Object.assign(state, {
      past_due_since: now,
      past_due_event_id: eventId,
      downgrade_at: new Date(now.getTime() + graceMs),
    });
    changes.push("past_due");
  } else if (!pastDue && account.past_due_since) {
    Object.assign(state, paidUp());
    changes.push("paid_up");
  }
  // A past-due account whose grace period has run out (or that the grace task already moved) stays on Free until
  // it pays.
  const lapsed =
    pastDue &&
    ((state.downgrade_at !== null && state.downgrade_at <= now) ||
      (account.past_due_since !== null && account.plan === "free"));
  state.plan = lapsed ? "free" : (plan as PlanColumn);
  if (state.plan !== account.plan) changes.push("plan");
  const endsAt = sub.cancel_at_period_end ? periodEndOf(sub) : null;
  state.plan_ends_at = endsAt;
  if (endsAt && !account.plan_ends_at) changes.push("cancel_at_period_end");
  if (!endsAt && account.plan_ends_at) changes.push("cancel_undone");
  return { state, changes };
}

function paidUp() {
  return { past_due_since: null, past_due_event_id: null, downgrade_at: null };
}
