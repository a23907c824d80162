import { type CreateJobRequest, DEFAULT_MODEL, type Job, newId } from "@mcpmediaengine/contract";
import type { Caller, EngineContext, RequestScope } from "../../context";
import { addGenerateJob } from "../../queue/enqueue";
import { insertQueuedJob } from "../../repositories/jobs";
import { presentJob } from "./present";
import { resolveImageInput } from "./resolve-input";

/**
 * Accepts a job: the row and its queue entry are written in one statement, so either both exist or neither.
 * An unknown or unavailable model is refused here (422), never accepted to fail later.
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
  const row = await insertQueuedJob(
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
  return presentJob(ctx, args.scope, row, []);
}
