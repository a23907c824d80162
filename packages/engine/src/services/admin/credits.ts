import { type AdminCreditsRequest, type AdminCreditsResult, AppError } from "@mcpmediaengine/contract";
import type { EngineContext } from "../../context";
import { findAccount } from "../../repositories/accounts";
import { postCredits } from "../../repositories/credits";

const CHECK_VIOLATION = "23514";

/**
 * Adds credits (a grant) or takes them away (an adjustment) with a reason, as one ledger entry. Taking away more
 * than the balance is refused: the balance never goes below zero.
 */
export async function adminPostCredits(args: {
  ctx: EngineContext;
  input: AdminCreditsRequest;
}): Promise<AdminCreditsResult> {
  const { ctx, input } = args;
  const account = await findAccount(ctx.db, input.accountId);
  if (!account) throw new AppError("not_found", `No account ${input.accountId}.`);
  try {
    const posted = await postCredits(ctx.db, {
      accountId: input.accountId,
      kind: "adjustment",
      amount: input.credits,
      reason: input.reason,
    });
    return { accountId: input.accountId, balance: posted!.balance };
  } catch (error) {
    if ((error as { code?: string }).code !== CHECK_VIOLATION) throw error;
    const balance = Number((await findAccount(ctx.db, input.accountId))?.balance ?? 0);
    throw new AppError(
      "invalid_request",
      `Taking ${-input.credits} credits would take the balance (${balance}) below zero.`,
      { balance, credits: input.credits },
    );
  }
}
