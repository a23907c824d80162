import { BillingInfo, BillingRedirect, CheckoutRequest } from "@mcpmediaengine/contract";
import { createCheckout, createPortal, getBillingInfo } from "@mcpmediaengine/engine";
import { z } from "zod";
import { authedProcedure, router } from "../init";

const tags = ["billing"];

/** Buying a plan through the operator's Stripe: checkout, the customer portal, and how plans are bought here. */
export const billingRouter = router({
  get: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/billing",
        tags,
        protect: true,
        summary: "How plans are bought",
        description:
          "Whether Starter and Pro are bought here by card (Stripe), whom to ask about Enterprise, and whether the customer portal opens for your account.",
      },
    })
    .input(z.object({}).optional())
    .output(BillingInfo)
    .query(({ ctx }) => getBillingInfo({ ctx: ctx.engine, caller: ctx.caller })),

  checkout: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/billing/checkout",
        tags,
        protect: true,
        summary: "Buy a plan",
        description:
          "Opens Stripe Checkout for a monthly subscription to Starter or Pro; send the person to the url. The plan changes when Stripe confirms the payment, and the period's credits come with each paid invoice. 422 billing_not_configured when the operator has not set up Stripe; 409 already_subscribed when a subscription exists (use the portal).",
      },
    })
    .input(CheckoutRequest)
    .output(BillingRedirect)
    .mutation(({ ctx, input }) =>
      createCheckout({ ctx: ctx.engine, caller: ctx.caller, scope: ctx.scope, input }),
    ),

  portal: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/billing/portal",
        tags,
        protect: true,
        summary: "Manage billing",
        description:
          "Opens Stripe's customer portal (card, invoices, change or cancel the plan); send the person to the url.",
      },
    })
    .input(z.object({}).optional())
    .output(BillingRedirect)
    .mutation(({ ctx }) => createPortal({ ctx: ctx.engine, caller: ctx.caller, scope: ctx.scope })),
});
