import {
  AppError,
  BatchItem,
  type BatchItemError,
  type CreateBatchRequest,
  type CreatedBatch,
  DEFAULT_MODEL,
  issueCode,
  newId,
} from "@mcpmediaengine/contract";
import type { BatchRow } from "@mcpmediaengine/db";
import type { Caller, EngineContext, RequestScope } from "../../context";
import { currentTraceCarrier } from "../../observe/trace";
import { findAccount } from "../../repositories/accounts";
import { batchJobIds, findBatch, insertHeldBatch, type NewBatchJob } from "../../repositories/batches";
import { IdempotencyKeyTaken } from "../../repositories/job-transitions";
import { resolveWebhookTarget } from "../../webhooks/address-guard";
import { madeByKey } from "../idempotency/made-by-key";
import { checkIdempotencyKey, requestHash } from "../idempotency/request-hash";
import { resolveInputImages } from "../jobs/input-images";
import { resolveJobInput } from "../jobs/resolve-input";
import { expandItems } from "./expand";
import { acceptedTally, presentBatch } from "./present";

/**
 * Accepts a batch, all or nothing. Every item is checked first (its fields, its model, its size, its webhookUrl)
 * and a batch with any bad item is refused with 400 `invalid_batch` listing every bad item; then the total cost
 * is held and the batch, its jobs and their queue entries are written in one statement (402 when the balance does
 * not cover the total). An Idempotency-Key is claimed in that statement, as for single jobs.
 */
export async function submitBatch(args: {
  ctx: EngineContext;
  caller: Caller;
  scope: RequestScope;
  input: CreateBatchRequest;
  idempotencyKey?: string;
  onReplay?: () => void;
}): Promise<CreatedBatch> {
  const { ctx, caller, input, idempotencyKey } = args;
  if (idempotencyKey !== undefined) checkIdempotencyKey(idempotencyKey);
  const items = expandItems(input, caller.limits.maxBatchSize);
  if (input.webhookUrl) await resolveWebhookTarget(input.webhookUrl, ctx.webhooks.allowPrivate);
  const jobs = await checkItems(ctx, caller.accountId, items);
  const idempotency =
    idempotencyKey === undefined
      ? undefined
      : { key: idempotencyKey, requestHash: requestHash("batches.create", input) };
  for (let attempt = 0; attempt < 3; attempt++) {
    const now = new Date();
    let row: BatchRow | undefined;
    let keyTaken = false;
    try {
      row = await insertHeldBatch(ctx.db, {
        id: newId("batch", now.getTime()),
        accountId: caller.accountId,
        webhookUrl: input.webhookUrl ?? null,
        metadata: input.metadata ?? {},
        maxAttempts: ctx.maxAttempts,
        createdAt: now,
        jobs,
        idempotency,
        trace: currentTraceCarrier(),
      });
    } catch (error) {
      if (!(error instanceof IdempotencyKeyTaken)) throw error;
      keyTaken = true;
    }
    if (row) {
      for (const job of jobs) ctx.metrics.jobsSubmitted(job);
      return { ...presentBatch(args.scope, row, acceptedTally(row)), jobIds: jobs.map((j) => j.id) };
    }
    // Refused for the key, or for the balance (which a retry of an accepted batch meets once its credits are
    // spent): a retry of the very request gets the first batch back either way.
    const firstId = idempotency && (await madeByKey(ctx, caller.accountId, idempotency, "batch_id"));
    const first = firstId && (await findBatch(ctx.db, caller.accountId, firstId));
    if (first) {
      args.onReplay?.();
      return presentAccepted(ctx, args.scope, first);
    }
    if (!keyTaken) throw await insufficientCredits(ctx, caller.accountId, jobs);
    // The key expired or vanished meanwhile: try again.
  }
  throw new AppError("idempotency_conflict", "This Idempotency-Key is in use. Retry the request later.");
}

/** Each item as the job it becomes; every bad item's index and reason when any is bad. */
async function checkItems(
  ctx: EngineContext,
  accountId: string,
  items: Record<string, unknown>[],
): Promise<NewBatchJob[]> {
  const errors: BatchItemError[] = [];
  const jobs: NewBatchJob[] = [];
  const urlChecks = new Map<string, Promise<AppError | undefined>>();
  const customIds = new Map<string, number>();
  const createdAt = Date.now();
  for (const [index, raw] of items.entries()) {
    const customId = typeof raw.customId === "string" ? raw.customId : undefined;
    const refuse = (code: string, message: string) =>
      errors.push({ index, ...(customId !== undefined && { customId }), code, message });
    const parsed = BatchItem.safeParse(raw);
    if (!parsed.success) {
      const summary = parsed.error.issues
        .slice(0, 3)
        .map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message))
        .join("; ");
      refuse(issueCode(parsed.error), summary);
      continue;
    }
    const item = parsed.data;
    if (item.customId !== undefined) {
      const earlier = customIds.get(item.customId);
      if (earlier !== undefined) {
        refuse("invalid_request", `customId ${item.customId} is already used by item ${earlier}.`);
        continue;
      }
      customIds.set(item.customId, index);
    }
    const model = item.model ?? DEFAULT_MODEL[item.type];
    try {
      ctx.models.require(model, item.type);
      ctx.models.checkRequest(model, item);
      ctx.models.checkInput(model, resolveJobInput(item, model));
      if (item.webhookUrl) {
        let check = urlChecks.get(item.webhookUrl);
        if (!check) {
          check = resolveWebhookTarget(item.webhookUrl, ctx.webhooks.allowPrivate).then(
            () => undefined,
            (error: unknown) => {
              if (error instanceof AppError) return error;
              throw error;
            },
          );
          urlChecks.set(item.webhookUrl, check);
        }
        const refused = await check;
        if (refused) throw refused;
      }
      // Last, as for a single job: an item's image URLs are fetched (once) only when all else about it is right.
      const resolved = resolveJobInput(item, model, await resolveInputImages(ctx, accountId, item));
      jobs.push({
        id: newId("job", createdAt),
        type: item.type,
        model,
        input: resolved.input,
        metadata: item.metadata ?? {},
        webhookUrl: item.webhookUrl ?? null,
        webhookEvents: item.webhookEvents ?? null,
        customId: item.customId ?? null,
        cost: ctx.models.cost(model, resolved),
        // A batch is throughput work: its jobs wait behind every normal job unless an item (or defaults) says normal.
        priority: item.priority ?? "low",
        cancelAfterSeconds: item.cancelAfter,
      });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      refuse(error.code, error.message);
    }
  }
  if (errors.length > 0) {
    const first = errors[0]!;
    throw new AppError(
      "invalid_batch",
      `${errors.length} of ${items.length} items are invalid, so nothing was accepted; item ${first.index}: ${first.message}`,
      { items: errors },
    );
  }
  return jobs;
}

/** The batch as it was when accepted: the first answer to its submission, and the one every retry gets again. */
async function presentAccepted(
  ctx: EngineContext,
  scope: RequestScope,
  row: BatchRow,
): Promise<CreatedBatch> {
  const accepted = { ...row, status: "processing" as const, cancel_requested_at: null, completed_at: null };
  return { ...presentBatch(scope, accepted, acceptedTally(row)), jobIds: await batchJobIds(ctx.db, row.id) };
}

async function insufficientCredits(
  ctx: EngineContext,
  accountId: string,
  jobs: NewBatchJob[],
): Promise<AppError> {
  const cost = jobs.reduce((sum, job) => sum + job.cost, 0);
  const balance = Number((await findAccount(ctx.db, accountId))?.balance ?? 0);
  return new AppError(
    "insufficient_credits",
    `This batch of ${jobs.length} jobs costs ${cost} credits; the balance is ${balance}. Nothing was accepted.`,
    { balance, cost },
  );
}
