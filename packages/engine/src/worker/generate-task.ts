import { newId } from "@mcpmediaengine/contract";
import { PermanentGenerationError } from "@mcpmediaengine/media";
import type { Task } from "graphile-worker";
import type { EngineContext } from "../context";
import { enqueueGenerateLater } from "../queue/enqueue";
import { GeneratePayload } from "../queue/tasks";
import { insertAssets } from "../repositories/assets";
import { completeJob, failJob, recordProgress } from "../repositories/job-transitions";
import { requeueJob } from "../repositories/jobs";
import { afterJobEnded } from "../services/jobs/job-ended";
import { claimWithinLimit } from "./claim";
import { readJobInput, runWithFallbacks, type Served, throttledProgress } from "./run-generators";

/**
 * Runs one job. Permanent failures end the job at once; anything else is retried by graphile-worker with its
 * exponential backoff until max_attempts, after which the job fails with `attempts_exhausted`. Files are written
 * before the completing transaction: they are content-addressed, so a crash in between leaves only a harmless
 * unreferenced file, never a completed job without its file.
 */
/** How long a job over its account's concurrency waits before it looks for a free slot again. */
const WAIT_MS = 500;

export function createGenerateTask(ctx: EngineContext): Task {
  return async (rawPayload, helpers) => {
    const { jobId } = GeneratePayload.parse(rawPayload);
    const job = await claimWithinLimit(ctx, jobId);
    if (!job) return; // canceled, or ended by an earlier attempt
    if (job === "wait") {
      // The account runs as many jobs as its plan allows: look again shortly, without spending an attempt.
      await enqueueGenerateLater(
        ctx.db,
        { jobId },
        { maxAttempts: helpers.job.max_attempts, delayMs: WAIT_MS, priority: helpers.job.priority },
      );
      return;
    }
    const generator = ctx.models.find(job.model);
    if (!generator) {
      await failWithEvent(ctx, jobId, {
        code: "generation_failed",
        message: `Model ${job.model} is no longer available.`,
      });
      return;
    }
    const input = readJobInput(job.type, job.input);
    let served: Served;
    try {
      served = await runWithFallbacks({
        primary: generator,
        fallbacks: ctx.models.fallbacks(job.model),
        input,
        attempt: helpers.job.attempts,
        fallbackFromAttempt: ctx.fallbackFromAttempt,
        signal: helpers.abortSignal ?? new AbortController().signal,
        onProgress: throttledProgress((fraction) => recordProgress(ctx.db, jobId, fraction)),
        onFallback: (from, to, error) =>
          helpers.logger.warn(`job ${jobId}: ${from.model} failed (${error.message}); trying ${to.model}`),
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof PermanentGenerationError) {
        await failWithEvent(ctx, jobId, { code: error.code, message });
        return;
      }
      if (helpers.job.attempts >= helpers.job.max_attempts) {
        await failWithEvent(ctx, jobId, {
          code: "attempts_exhausted",
          message: `Gave up after ${helpers.job.attempts} attempts: ${message}`,
        });
        return;
      }
      await requeueJob(ctx.db, jobId);
      throw error;
    }
    const { files } = served;
    const stored = await Promise.all(files.map((file) => ctx.assets.put(file.data)));
    const servedBy = { model: served.generator.model, provider: served.generator.provider ?? "local" };
    await ctx.db.transaction().execute(async (trx) => {
      const completed = await completeJob(trx, jobId, servedBy);
      if (!completed) return; // canceled while it ran: the output is dropped
      await insertAssets(
        trx,
        files.map((file, position) => ({
          id: newId("asset"),
          job_id: jobId,
          account_id: job.account_id,
          position,
          sha256: stored[position]!.sha256,
          mime_type: file.mimeType,
          extension: file.extension,
          bytes: stored[position]!.bytes,
          width: file.width ?? null,
          height: file.height ?? null,
          duration_ms: file.durationMs ?? null,
          role: file.role ?? "main",
        })),
      );
      await afterJobEnded(trx, ctx, completed, "job.completed");
    });
  };
}

/** Fails the job and records its job.failed event, together. */
async function failWithEvent(ctx: EngineContext, jobId: string, error: { code: string; message: string }) {
  await ctx.db.transaction().execute(async (trx) => {
    const failed = await failJob(trx, jobId, error);
    if (failed) await afterJobEnded(trx, ctx, failed, "job.failed");
  });
}
