import { z } from "zod";
import { AccountBilling } from "./billing";
import { IsoDateTime } from "./common";
import { idSchema } from "./ids";
import { PlanId, PlanLimits } from "./plans";

export const AccountId = idSchema("account", "The account's id.");

const Credits = z.number().int();

export const Account = z
  .object({
    accountId: AccountId,
    name: z.string().describe("The account's name."),
    plan: PlanId,
    balance: Credits.describe("Credits available to spend now: granted, less what jobs have taken or hold."),
    held: Credits.describe(
      "Credits held by jobs that are queued or processing; released if they fail or are canceled.",
    ),
    usage: z
      .object({
        periodStart: IsoDateTime.describe("Start of this calendar month (UTC)."),
        periodEnd: IsoDateTime.describe("Start of the next calendar month (UTC)."),
        creditsSpent: Credits.describe("Credits captured by completed jobs this period."),
        jobsCompleted: z.number().int().describe("Jobs completed this period."),
      })
      .describe("Use in the current period."),
    limits: PlanLimits,
    billing: AccountBilling,
    createdAt: IsoDateTime.describe("When the account was opened."),
  })
  .describe("Your account: plan, credits and limits.");
export type Account = z.infer<typeof Account>;
