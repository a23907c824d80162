import {
  AppError,
  type BillingInfo,
  type BillingRedirect,
  type CheckoutRequest,
} from "@mcpmediaengine/contract";
import type { StripeBilling } from "../../billing/stripe-billing";
import { callStripe } from "../../billing/stripe-errors";
import type { Caller, EngineContext, RequestScope } from "../../context";
import { findAccount } from "../../repositories/accounts";
import { rememberStripeCustomer } from "../../repositories/billing";

/** Where the console shows billing; Stripe sends the person back here. */
const BILLING_PAGE = "/usage";

/** How plans are bought here: Stripe or the operator, the Enterprise contact, whether the portal opens. */
export async function getBillingInfo(args: { ctx: EngineContext; caller: Caller }): Promise<BillingInfo> {
  const account = await findAccount(args.ctx.db, args.caller.accountId);
  return {
    selfServe: Boolean(args.ctx.billing.stripe),
    enterpriseContact: args.ctx.billing.enterpriseContact ?? null,
    customer: Boolean(args.ctx.billing.stripe && account?.stripe_customer_id),
  };
}

/**
 * A Stripe Checkout session for a subscription to the plan. Nothing changes here: the plan follows Stripe's
 * webhook once the payment is confirmed.
 */
export async function createCheckout(args: {
  ctx: EngineContext;
  caller: Caller;
  scope: RequestScope;
  input: CheckoutRequest;
}): Promise<BillingRedirect> {
  const stripe = stripeOf(args.ctx);
  const account = await findAccount(args.ctx.db, args.caller.accountId);
  if (!account) throw new AppError("not_found", "No such account.");
  if (account.stripe_subscription_id) {
    throw new AppError(
      "already_subscribed",
      "This account already has a subscription: change or cancel it in the customer portal (POST /v1/billing/portal).",
      { plan: account.plan },
    );
  }
  if (account.plan === "enterprise") {
    throw new AppError("already_subscribed", "Enterprise terms are changed with the operator.", {
      plan: account.plan,
    });
  }
  const customer = await customerOf(args.ctx, stripe, account);
  const back = `${args.scope.baseUrl}${BILLING_PAGE}`;
  const session = await callStripe("open a checkout", () =>
    stripe.client.checkout.sessions.create({
      mode: "subscription",
      customer,
      client_reference_id: account.id,
      line_items: [{ price: stripe.prices[args.input.plan], quantity: 1 }],
      success_url: `${back}?checkout=done`,
      cancel_url: `${back}?checkout=canceled`,
      metadata: { account_id: account.id, plan: args.input.plan },
      subscription_data: { metadata: { account_id: account.id } },
    }),
  );
  if (!session.url) throw new AppError("payment_provider_error", "Stripe opened a checkout without a URL.");
  return { url: session.url };
}

/** Stripe's customer portal (card, invoices, cancel) for the account's customer. */
export async function createPortal(args: {
  ctx: EngineContext;
  caller: Caller;
  scope: RequestScope;
}): Promise<BillingRedirect> {
  const stripe = stripeOf(args.ctx);
  const account = await findAccount(args.ctx.db, args.caller.accountId);
  if (!account) throw new AppError("not_found", "No such account.");
  const customer = await customerOf(args.ctx, stripe, account);
  const session = await callStripe("open the customer portal", () =>
    stripe.client.billingPortal.sessions.create({
      customer,
      return_url: `${args.scope.baseUrl}${BILLING_PAGE}`,
    }),
  );
  return { url: session.url };
}

function stripeOf(ctx: EngineContext): StripeBilling {
  if (!ctx.billing.stripe) {
    throw new AppError(
      "billing_not_configured",
      "Plans are not sold on this engine: its operator changes them. Ask them.",
    );
  }
  return ctx.billing.stripe;
}

/**
 * The account's Stripe customer, created once. Two requests racing send the same Idempotency-Key, so Stripe makes
 * one customer and answers both with it; the first id stored wins either way.
 */
async function customerOf(
  ctx: EngineContext,
  stripe: StripeBilling,
  account: { id: string; name: string; stripe_customer_id: string | null },
): Promise<string> {
  if (account.stripe_customer_id) return account.stripe_customer_id;
  const created = await callStripe("create the customer", () =>
    stripe.client.customers.create(
      { name: account.name, metadata: { account_id: account.id } },
      { idempotencyKey: `mme-customer-${account.id}` },
    ),
  );
  return rememberStripeCustomer(ctx.db, account.id, created.id);
}
