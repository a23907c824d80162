import { z } from "zod";
import { IsoDateTime } from "./common";

export const PaidPlanId = z
  .enum(["starter", "pro"])
  .describe("The plan to buy: starter (400 credits a month, $29) or pro (1,400 credits a month, $79).");
export type PaidPlanId = z.infer<typeof PaidPlanId>;

export const CheckoutRequest = z
  .object({ plan: PaidPlanId })
  .describe(
    "Start buying a plan. The plan changes once Stripe confirms the payment (its webhook), not when the checkout page opens.",
  )
  .meta({ examples: [{ plan: "starter" }] });
export type CheckoutRequest = z.infer<typeof CheckoutRequest>;

export const BillingRedirect = z
  .object({
    url: z.url().describe("Stripe's page to send the person to (checkout or the customer portal)."),
  })
  .describe("Where to send the person next.");
export type BillingRedirect = z.infer<typeof BillingRedirect>;

export const BillingInfo = z
  .object({
    selfServe: z
      .boolean()
      .describe(
        "true: Starter and Pro are bought here with a card (the operator set up Stripe); false: the operator changes plans.",
      ),
    enterpriseContact: z
      .string()
      .nullable()
      .describe(
        "Whom to ask about Enterprise, as the operator wrote it (MME_ENTERPRISE_CONTACT); else null.",
      ),
    customer: z
      .boolean()
      .describe("The account has a Stripe customer, so the customer portal (POST /v1/billing/portal) opens."),
  })
  .describe("How plans are bought on this engine.");
export type BillingInfo = z.infer<typeof BillingInfo>;

export const AccountBilling = z
  .object({
    subscribed: z.boolean().describe("A Stripe subscription sets the plan."),
    pastDue: z
      .boolean()
      .describe(
        "A renewal payment failed: pay (customer portal) before downgradeAt, or the plan becomes Free.",
      ),
    pastDueSince: IsoDateTime.nullable().describe("When the renewal failed; null while paid up."),
    downgradeAt: IsoDateTime.nullable().describe(
      "When a past-due account goes back to Free unless it pays (the operator's grace period); else null.",
    ),
    planEndsAt: IsoDateTime.nullable().describe(
      "The subscription was canceled: the plan lasts until this time (its period's end), then Free; else null.",
    ),
  })
  .describe("The account's subscription, when it pays through Stripe.");
export type AccountBilling = z.infer<typeof AccountBilling>;
