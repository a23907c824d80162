import { AppError, PLANS } from "@mcpmediaengine/contract";
import type Stripe from "stripe";
import type { StripeBilling } from "../../billing/stripe-billing";
import { callStripe, isMissing } from "../../billing/stripe-errors";
import type { EngineContext } from "../../context";
import {
  type BillingState,
  keepStripeEvent,
  lockAccountOfCustomer,
  recordBillingChange,
  setBillingState,
} from "../../repositories/billing";
import { postCredits } from "../../repositories/credits";
import { followSubscription } from "./subscription-state";

export interface WebhookOutcome {
  /** false: the event id was applied before; nothing was done again. */
  applied: boolean;
  /** The account it concerned, when it is one of ours. */
  accountId?: string;
}

/**
 * POST /billing/stripe/webhook: verifies Stripe-Signature with the stripe package's verifier (HMAC-SHA256 of
 * "t.body", any of several v1 signatures, compared in constant time, the timestamp within the tolerance), then
 * applies the event once. A bad signature is 400 invalid_signature and changes nothing.
 */
export async function handleStripeWebhook(args: {
  ctx: EngineContext;
  body: string;
  signature: string | null;
  now?: Date;
}): Promise<WebhookOutcome> {
  const stripe = args.ctx.billing.stripe;
  if (!stripe) throw new AppError("not_found", "Stripe billing is not configured on this engine.");
  const now = args.now ?? new Date();
  // Stripe's verifier refuses old timestamps only; one from the future is refused here, so the window holds both
  // ways (a captured body cannot be kept for later by a signer whose clock runs ahead).
  const t = Number(/(?:^|,)\s*t=(\d+)/.exec(args.signature ?? "")?.[1]);
  if (t > now.getTime() / 1000 + stripe.toleranceSeconds) {
    throw new AppError("invalid_signature", "The Stripe-Signature header does not sign this body.", {
      reason: "The timestamp is in the future.",
    });
  }
  let event: Stripe.Event;
  try {
    event = stripe.client.webhooks.constructEvent(
      args.body,
      args.signature ?? "",
      stripe.webhookSecret,
      stripe.toleranceSeconds,
    );
  } catch (error) {
    throw new AppError("invalid_signature", "The Stripe-Signature header does not sign this body.", {
      reason: (error as Error).message,
    });
  }
  return applyStripeEvent({ ctx: args.ctx, stripe, event, now });
}

/** The events that move an account; any other type is kept (so its id is known) and changes nothing. */
const HANDLED = new Set([
  "checkout.session.completed",
  "customer.subscription.created",
  "customer.subscription.updated",
  "customer.subscription.deleted",
  "invoice.paid",
  "invoice.payment_failed",
]);

async function applyStripeEvent(args: {
  ctx: EngineContext;
  stripe: StripeBilling;
  event: Stripe.Event;
  now: Date;
}): Promise<WebhookOutcome> {
  const { ctx, stripe, event, now } = args;
  const object = event.data.object as unknown as Record<string, unknown>;
  const customerId = HANDLED.has(event.type) ? idOf(object.customer) : undefined;
  // Read before the transaction (no network call holds a row lock). A failure here answers 502 before the event
  // is kept, so Stripe sends it again.
  const subscription = customerId ? await currentSubscription(stripe, event) : undefined;
  const outcome = await ctx.db.transaction().execute(async (trx): Promise<WebhookOutcome> => {
    const account = customerId ? await lockAccountOfCustomer(trx, customerId) : undefined;
    const kept = await keepStripeEvent(trx, {
      id: event.id,
      type: event.type,
      accountId: account?.id ?? null,
      created: new Date(event.created * 1000),
    });
    if (!kept) return { applied: false, accountId: account?.id };
    if (!account) return { applied: true };
    const before: BillingState = {
      plan: account.plan,
      stripe_subscription_id: account.stripe_subscription_id,
      past_due_since: account.past_due_since,
      past_due_event_id: account.past_due_event_id,
      downgrade_at: account.downgrade_at,
      plan_ends_at: account.plan_ends_at,
    };
    if (subscription) {
      const { state, changes } = followSubscription(
        stripe,
        before,
        subscription,
        event.id,
        now,
        ctx.billing.graceMs,
      );
      await setBillingState(trx, account.id, state);
      for (const change of changes) {
        await recordBillingChange(trx, {
          accountId: account.id,
          eventId: event.id,
          change,
          before: before.plan,
          after: state.plan,
        });
      }
    }
    if (event.type === "invoice.paid") {
      await grantPaidPeriod(trx, stripe, account.id, event.id, event.data.object as Stripe.Invoice);
    }
    return { applied: true, accountId: account.id };
  });
  // Cached keys carry the old limits: this process forgets them now.
  if (outcome.applied && outcome.accountId) ctx.keyCache.clear();
  return outcome;
}

/**
 * A paid invoice grants its plan's credits for its period, once: the grant's period names the subscription and
 * the period's start, and the ledger allows one grant per account and period, whichever event brings it.
 */
async function grantPaidPeriod(
  trx: EngineContext["db"],
  stripe: StripeBilling,
  accountId: string,
  eventId: string,
  invoice: Stripe.Invoice,
): Promise<void> {
  const subscriptionId = subscriptionIdOf(invoice as unknown as Record<string, unknown>);
  if (!subscriptionId) return;
  for (const line of invoice.lines?.data ?? []) {
    const plan = stripe.planOfPrice(priceIdOf(line));
    if (!plan || line.amount < 0) continue;
    await postCredits(trx, {
      accountId,
      kind: "grant",
      amount: PLANS[plan].grant.credits,
      period: `stripe:${subscriptionId}:${line.period.start}`,
      reason: `${PLANS[plan].name} plan, invoice ${invoice.id} (${new Date(line.period.start * 1000).toISOString().slice(0, 10)} to ${new Date(line.period.end * 1000).toISOString().slice(0, 10)})`,
      stripeEventId: eventId,
    });
    return;
  }
}

/** The subscription the event is about, as Stripe has it now; the event's own copy when Stripe has deleted it. */
async function currentSubscription(
  stripe: StripeBilling,
  event: Stripe.Event,
): Promise<Stripe.Subscription | undefined> {
  const object = event.data.object as unknown as Record<string, unknown>;
  const id = event.type.startsWith("customer.subscription.")
    ? (object.id as string)
    : event.type === "checkout.session.completed"
      ? idOf(object.subscription)
      : subscriptionIdOf(object);
  if (!id) return undefined;
  try {
    return await stripe.client.subscriptions.retrieve(id);
  } catch (error) {
    if (isMissing(error) && event.type.startsWith("customer.subscription.")) {
      return object as unknown as Stripe.Subscription;
    }
    if (isMissing(error)) return undefined;
    return callStripe("read the subscription", () => Promise.reject(error));
  }
}

function idOf(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (value && typeof value === "object" && typeof (value as { id?: unknown }).id === "string")
    return (value as { id: string }).id;
  return undefined;
}

/** An invoice's subscription: under parent.subscription_details since API 2025-03-31, at the top before. */
function subscriptionIdOf(invoice: Record<string, unknown>): string | undefined {
  const parent = invoice.parent as { subscription_details?: { subscription?: unknown } } | null | undefined;
  return idOf(parent?.subscription_details?.subscription) ?? idOf(invoice.subscription);
}

function priceIdOf(line: Stripe.InvoiceLineItem): string | undefined {
  const raw = line as unknown as {
    pricing?: { price_details?: { price?: unknown } };
    price?: unknown;
  };
  return idOf(raw.pricing?.price_details?.price) ?? idOf(raw.price);
}
