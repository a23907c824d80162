import { AppError, type CreateJobRequest, DEFAULT_MODEL, type Job, newId } from "@mcpmediaengine/contract";
import type { Caller, EngineContext, RequestScope } from "../../context";
import { findAccount } from "../../repositories/accounts";
import { presentJob } from "./present";
import { resolveImageInput } from "./resolve-input";

/**
 * Accepts a job: its cost is held from the balance, and the row, the hold and the queue entry are written in one
 * statement, so all exist or none. An unknown or unavailable model is refused here (422), and a balance that does
 * not cover the cost with 402, never accepted to fail later.
 */
export async function submitJob(args: {
  ctx: EngineContext;
  caller: Caller;
  scope: RequestScope;
  input: CreateJobRequest;
}): Promise<Job> {
  const { ctx, caller, input } = args;
  const model = input.model ?? DEFAULT_MODEL[input.type];
  ctx.models.require(model, input.type);
  const resolved = resolveImageInput(input);
  const now = new Date();
  const cost = ctx.models.cost(model, resolved);
  const row = await ctx.admission.admit({
    id: newId("job", now.getTime()),
    accountId: caller.accountId,
    type: input.type,
    model,
    input: JSON.stringify(resolved),
    metadata: JSON.stringify(input.metadata ?? {}),
    webhookUrl: input.webhookUrl ?? null,
    cost,
    maxAttempts: ctx.maxAttempts,
    createdAt: now,
  });
  if (!row) throw await insufficientCredits(ctx, caller.accountId, cost);
  return presentJob(ctx, args.scope, row, []);
}

async function insufficientCredits(ctx: EngineContext, accountId: string, cost: number): Promise<AppError> {
  const balance = Number((await findAccount(ctx.db, accountId))?.balance ?? 0);
  return new AppError(
    "insufficient_credits",
    `This job costs ${cost} credit${cost === 1 ? "" : "s"}; the balance is ${balance}.`,
    { balance, cost },
  );
}
