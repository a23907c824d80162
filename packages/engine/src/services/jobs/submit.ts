import { AppError, type CreateJobRequest, DEFAULT_MODEL, type Job, newId } from "@mcpmediaengine/contract";
import type { Caller, EngineContext, RequestScope } from "../../context";
import { addGenerateJob } from "../../queue/enqueue";
import { findAccount } from "../../repositories/accounts";
import { insertHeldJob } from "../../repositories/job-transitions";
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
  const jobId = newId("job", now.getTime());
  const row = await insertHeldJob(
    ctx.db,
    {
      id: jobId,
      account_id: caller.accountId,
      type: input.type,
      model,
      input: JSON.stringify(resolved),
      metadata: JSON.stringify(input.metadata ?? {}),
      webhook_url: input.webhookUrl ?? null,
      cost_credits: ctx.models.cost(model, resolved),
      max_attempts: ctx.maxAttempts,
      error_code: null,
      error_message: null,
      created_at: now,
      updated_at: now,
    },
    addGenerateJob({ jobId }, { maxAttempts: ctx.maxAttempts }),
  );
  if (!row) throw await insufficientCredits(ctx, caller.accountId, ctx.models.cost(model, resolved));
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
