import { z } from "zod";
import { AccountId } from "./account";
import { Cursor, IsoDateTime, NextCursor, PageLimit, StorableString } from "./common";
import { ApiKeyId } from "./keys";
import { PlanId, PlanLimits } from "./plans";

const Credits = z.number().int();
const CustomLimits = PlanLimits.partial()
  .nullable()
  .describe("Enterprise only: limits that replace the plan's (any subset); null returns to the plan's.");
const MonthlyGrant = z
  .number()
  .int()
  .min(0)
  .max(100_000_000)
  .nullable()
  .describe("Enterprise only: credits granted each month instead of the plan's; null returns to the plan's.");

export const AdminCreateAccountRequest = z
  .strictObject({
    name: StorableString.trim().min(1).max(200).describe("The account's name."),
    plan: PlanId.default("free"),
    credits: Credits.min(0)
      .max(100_000_000)
      .optional()
      .describe("The opening grant, instead of the plan's (free: 25 once; monthly plans: this month's)."),
    monthlyGrant: MonthlyGrant.optional(),
    limits: CustomLimits.optional(),
  })
  .describe("A new account with its first API key.")
  .meta({ examples: [{ name: "Acme Inc.", plan: "starter" }] });
export type AdminCreateAccountRequest = z.infer<typeof AdminCreateAccountRequest>;

export const AdminCreatedKey = z
  .object({
    accountId: AccountId,
    keyId: ApiKeyId,
    apiKey: z.string().describe("The secret key. Shown only this once; only its hash is stored."),
  })
  .describe("A new API key.");
export type AdminCreatedKey = z.infer<typeof AdminCreatedKey>;

export const AdminCreatedAccount = AdminCreatedKey.extend({
  plan: PlanId,
  balance: Credits.describe("Credits available after the opening grant."),
}).describe("The new account and its first API key.");
export type AdminCreatedAccount = z.infer<typeof AdminCreatedAccount>;

export const AdminAccountRequest = z.object({ accountId: AccountId });
export type AdminAccountRequest = z.infer<typeof AdminAccountRequest>;

export const AdminChangePlanRequest = z
  .strictObject({
    accountId: AccountId,
    plan: PlanId,
    monthlyGrant: MonthlyGrant.optional(),
    limits: CustomLimits.optional(),
  })
  .describe(
    "Moves an account to a plan. A monthly plan's credits for the current month are granted now unless a grant for this month was already made.",
  )
  .meta({ examples: [{ plan: "pro" }] });
export type AdminChangePlanRequest = z.infer<typeof AdminChangePlanRequest>;

export const AdminCreditsRequest = z
  .strictObject({
    accountId: AccountId,
    credits: Credits.min(-100_000_000)
      .max(100_000_000)
      .refine((n) => n !== 0, { message: "Must not be zero." })
      .describe(
        "Credits to add (a grant) or, when negative, to take away (an adjustment). Never below zero.",
      ),
    reason: StorableString.trim().min(1).max(500).describe("Why, for the ledger."),
  })
  .describe("Grants or adjusts an account's credits.")
  .meta({ examples: [{ credits: 100, reason: "Goodwill grant after an outage" }] });
export type AdminCreditsRequest = z.infer<typeof AdminCreditsRequest>;

export const AdminCreditsResult = z
  .object({ accountId: AccountId, balance: Credits.describe("The balance after the entry.") })
  .describe("The account's balance after the change.");
export type AdminCreditsResult = z.infer<typeof AdminCreditsResult>;

export const AdminCreateKeyRequest = z.strictObject({
  accountId: AccountId,
  name: StorableString.trim().max(200).optional().describe("A label for the key."),
});
export type AdminCreateKeyRequest = z.infer<typeof AdminCreateKeyRequest>;

export const AdminRevokeKeyRequest = z.object({ keyId: ApiKeyId });
export type AdminRevokeKeyRequest = z.infer<typeof AdminRevokeKeyRequest>;

export const AdminRevokedKey = z
  .object({
    keyId: ApiKeyId,
    revokedAt: z.iso.datetime({ offset: true }).describe("When it stopped working."),
  })
  .describe("A revoked key: it answers 401 from now on.");
export type AdminRevokedKey = z.infer<typeof AdminRevokedKey>;

export const AdminListAccountsRequest = z
  .object({
    search: StorableString.trim()
      .min(1)
      .max(200)
      .optional()
      .describe("Only accounts whose name or email contains this (any case), or whose id it is."),
    limit: PageLimit,
    cursor: Cursor.optional(),
  })
  .describe("Filters and paging for the account list, newest first.");
export type AdminListAccountsRequest = z.infer<typeof AdminListAccountsRequest>;

export const AdminAccountSummary = z
  .object({
    accountId: AccountId,
    name: z.string().describe("The account's name."),
    email: z
      .string()
      .nullable()
      .describe("The email its owner signs in with; null for accounts made by key."),
    plan: PlanId,
    balance: Credits.describe("Credits available now."),
    operator: z.boolean().describe("Whether the account is the operator's (it may use the admin API)."),
    createdAt: IsoDateTime.describe("When the account was opened."),
  })
  .describe("An account in the operator's list.");
export type AdminAccountSummary = z.infer<typeof AdminAccountSummary>;

export const AdminAccountList = z
  .object({
    data: z.array(AdminAccountSummary).describe("Accounts, newest first."),
    nextCursor: NextCursor,
  })
  .describe("A page of accounts.");
export type AdminAccountList = z.infer<typeof AdminAccountList>;
