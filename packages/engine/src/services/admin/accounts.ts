import {
  type Account,
  type AdminChangePlanRequest,
  type AdminCreateAccountRequest,
  type AdminCreatedAccount,
  AppError,
} from "@mcpmediaengine/contract";
import type { EngineContext } from "../../context";
import { findAccount, setAccountTerms } from "../../repositories/accounts";
import { accountView } from "../account/get-account";
import { grantOpeningCredits } from "../credits/plan-grants";
import { createAccountWithKey } from "../keys/create-key";

/** Opens an account on a plan with its first key and its opening grant (or `credits` instead). */
export async function adminCreateAccount(args: {
  ctx: EngineContext;
  input: AdminCreateAccountRequest;
}): Promise<AdminCreatedAccount> {
  const { ctx, input } = args;
  enterpriseTermsOnly(input);
  const created = await createAccountWithKey({ ctx, ...input });
  const account = await findAccount(ctx.db, created.accountId);
  return { ...created, plan: input.plan, balance: Number(account?.balance ?? 0) };
}

/**
 * Moves an account to a plan. A monthly plan's credits for this month are granted at once, unless the account
 * already had a grant for this month (an upgrade within a month adds nothing: no proration).
 */
export async function adminChangePlan(args: {
  ctx: EngineContext;
  input: AdminChangePlanRequest;
}): Promise<Account> {
  const { ctx, input } = args;
  enterpriseTermsOnly(input);
  await ctx.db.transaction().execute(async (trx) => {
    const changed = await setAccountTerms(trx, input.accountId, {
      plan: input.plan,
      monthlyGrant: input.plan === "enterprise" ? input.monthlyGrant : null,
      limits: input.plan === "enterprise" ? input.limits : null,
    });
    if (!changed) throw new AppError("not_found", `No account ${input.accountId}.`);
    const account = await findAccount(trx, input.accountId);
    if (input.plan !== "free") {
      await grantOpeningCredits(trx, {
        id: input.accountId,
        plan: input.plan,
        monthlyGrant: account!.monthly_grant,
      });
    }
  });
  // Cached keys carry the old limits: this process forgets them now, the others when Postgres tells them.
  ctx.keyCache.clear();
  return accountView(ctx, input.accountId);
}

export async function adminGetAccount(args: {
  ctx: EngineContext;
  input: { accountId: string };
}): Promise<Account> {
  if (!(await findAccount(args.ctx.db, args.input.accountId))) {
    throw new AppError("not_found", `No account ${args.input.accountId}.`);
  }
  return accountView(args.ctx, args.input.accountId);
}

function enterpriseTermsOnly(input: { plan: string; monthlyGrant?: number | null; limits?: unknown }): void {
  if (input.plan !== "enterprise" && (input.monthlyGrant != null || input.limits != null)) {
    throw new AppError(
      "invalid_request",
      "monthlyGrant and limits are enterprise terms; other plans use their own.",
      {
        plan: input.plan,
      },
    );
  }
}
