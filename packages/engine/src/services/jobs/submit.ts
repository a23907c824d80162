import {
  AppError,
  type CreateJobRequest,
  DEFAULT_MODEL,
  type Job,
  JobRequest,
  newId,
  parseRequest,
} from "@mcpmediaengine/contract";
import type { JobRow } from "@mcpmediaengine/db";
import type { Caller, EngineContext, RequestScope } from "../../context";
import { currentTraceCarrier } from "../../observe/trace";
import { findAccount } from "../../repositories/accounts";
import { findJob } from "../../repositories/jobs";
import { resolveWebhookTarget } from "../../webhooks/address-guard";
import { madeByKey } from "../idempotency/made-by-key";
import { checkIdempotencyKey, requestHash } from "../idempotency/request-hash";
import { resolveInputImages } from "./input-images";
import { presentJob } from "./present";
import { resolveJobInput } from "./resolve-input";

/**
 * Accepts a job: its cost is held from the balance, and the row, the hold and the queue entry are written in one
 * statement, so all exist or none. An unknown or unavailable model is refused here (422), and a balance that does
 * not cover the cost with 402, never accepted to fail later. A webhookUrl that resolves to a private or reserved
 * address is refused with 400 `invalid_webhook_url` (unless the operator allows private targets).
 *
 * With an Idempotency-Key the key is claimed in that same statement, so a key and its job are never apart: a
 * retry of the same request within 24 hours gets the job as first accepted (and `onReplay` is called), however
 * the first attempt ended; the key with a different request is 409 `idempotency_conflict`. A refused submission
 * claims nothing, so its corrected retry runs.
 */
export async function submitJob(args: {
  ctx: EngineContext;
  caller: Caller;
  scope: RequestScope;
  input: JobRequest | CreateJobRequest;
  idempotencyKey?: string;
  onReplay?: () => void;
}): Promise<Job> {
  const { ctx, caller, idempotencyKey } = args;
  const input = parseRequest(JobRequest, args.input);
  if (idempotencyKey !== undefined) checkIdempotencyKey(idempotencyKey);
  const model = input.model ?? DEFAULT_MODEL[input.type];
  ctx.models.require(model, input.type);
  ctx.models.checkRequest(model, input);
  ctx.models.checkInput(model, resolveJobInput(input, model));
  if (input.webhookUrl) await resolveWebhookTarget(input.webhookUrl, ctx.webhooks.allowPrivate);
  // Only a request that passed every other check fetches its image URLs (once; each becomes an upload).
  const resolved = resolveJobInput(input, model, await resolveInputImages(ctx, caller.accountId, input));
  const cost = ctx.models.cost(model, resolved);
  const idempotency =
    idempotencyKey === undefined
      ? undefined
      : { key: idempotencyKey, requestHash: requestHash("jobs.create", input) };
  // A taken key is looked up; if it expired or its claim vanished meanwhile, the submission is tried again.
  for (let attempt = 0; attempt < 3; attempt++) {
    const now = new Date();
    const admission = await ctx.admission.admit({
      id: newId("job", now.getTime()),
      accountId: caller.accountId,
      type: input.type,
      model,
      input: JSON.stringify(resolved.input),
      metadata: JSON.stringify(input.metadata ?? {}),
      webhookUrl: input.webhookUrl ?? null,
      webhookEvents: input.webhookEvents ?? null,
      cost,
      maxAttempts: ctx.maxAttempts,
      createdAt: now,
      idempotency,
      trace: currentTraceCarrier(),
      priority: input.priority,
      cancelAfterSeconds: input.cancelAfter,
    });
    if (admission.kind === "accepted") {
      ctx.metrics.jobsSubmitted(admission.row);
      return presentAccepted(ctx, args.scope, admission.row);
    }
    // Refused for the key, or for the balance (which a retry of an accepted job meets once its credits are
    // spent): a retry of the very request gets the first job back either way.
    const firstId = idempotency && (await madeByKey(ctx, caller.accountId, idempotency, "job_id"));
    const first = firstId && (await findJob(ctx.db, caller.accountId, firstId));
    if (first) {
      args.onReplay?.();
      return presentAccepted(ctx, args.scope, first);
    }
    if (admission.kind === "insufficient_credits")
      throw await insufficientCredits(ctx, caller.accountId, cost);
  }
  throw new AppError("idempotency_conflict", "This Idempotency-Key is in use. Retry the request later.");
}

/** The job as it was when accepted: the first answer to its submission, and the one every retry gets again. */
function presentAccepted(ctx: EngineContext, scope: RequestScope, row: JobRow): Job {
  return presentJob(
    ctx,
    scope,
    {
      ...row,
      status: "queued",
      attempts: 0,
      progress: 0,
      started_at: null,
      completed_at: null,
      error_code: null,
      error_message: null,
      served_model: null,
      served_provider: null,
    },
    [],
  );
}

async function insufficientCredits(ctx: EngineContext, accountId: string, cost: number): Promise<AppError> {
  const balance = Number((await findAccount(ctx.db, accountId))?.balance ?? 0);
  return new AppError(
    "insufficient_credits",
    `This job costs ${cost} credit${cost === 1 ? "" : "s"}; the balance is ${balance}.`,
    { balance, cost },
  );
}
