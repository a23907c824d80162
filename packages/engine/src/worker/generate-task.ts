import { newId } from "@mcpmediaengine/contract";
import type { JobRow } from "@mcpmediaengine/db";
import { PermanentGenerationError, type ProviderCall } from "@mcpmediaengine/media";
import type { Span } from "@opentelemetry/api";
import type { JobHelpers, Task } from "graphile-worker";
import { AssetStoreError, type StoredBlob } from "../assets/store";
import type { EngineContext } from "../context";
import type { Log } from "../logger";
import { canServe } from "../models/input-capabilities";
import { addLogFields, withLogFields } from "../observe/log-context";
import type { ProviderOutcome, RunOutcome } from "../observe/metrics";
import { inTaskSpan, type TraceCarrier } from "../observe/trace";
import { enqueueGenerateLater } from "../queue/enqueue";
import { GeneratePayload, TASKS } from "../queue/tasks";
import { insertAssets } from "../repositories/assets";
import { appendJobLogs, type NewJobLog } from "../repositories/job-logs";
import { completeJob, failJob, recordProgress } from "../repositories/job-transitions";
import { type JobRun, releaseRun, requeueJob } from "../repositories/jobs";
import { afterJobEnded } from "../services/jobs/job-ended";
import { untilDatabaseAnswers } from "../util/until-database-answers";
import { AccountProblemLog } from "./account-problems";
import { claimWithinLimit } from "./claim";
import { readRunImages } from "./read-images";
import { readJobInput, runWithFallbacks, type Served, throttledProgress } from "./run-generators";
import type { RunWatch, StopReason } from "./run-watch";
import { holdStoredFiles, storeFiles } from "./store-files";

/** A provider request's outcome as the metrics label it: a 429 apart from other refusals. */
function providerOutcome(call: ProviderCall): ProviderOutcome {
  if (call.failure) return call.failure;
  const status = call.status ?? 0;
  if (status === 429) return "rate_limited";
  if (status >= 500) return "server_error";
  if (status >= 400) return "client_error";
  return "ok";
}

/** How long a job over its account's concurrency waits before it looks for a free slot again. */
const WAIT_MS = 500;

/**
 * Runs one job, and every way it can go ends the job or hands it on; none leaves it processing with its credits
 * held:
 * - generated and stored: completed, in the transaction that writes its assets;
 * - a permanent failure, a run timeout, or a transient failure on its last attempt: failed with a code, releasing
 *   what it held, with its job.failed event;
 * - a transient failure (the files could not be stored is one) with attempts left: back to the queue, which
 *   retries with exponential backoff;
 * - canceled while it ran: the generator is aborted, nothing is stored, and the run's concurrency slot is given
 *   back only once the generator has stopped;
 * - this worker shuts down and its grace period ends: the generator is aborted and the job goes back to the queue
 *   without spending an attempt;
 * - this worker dies: recovery releases its queue entry and the job runs again; if that was its last attempt, the
 *   spare queue start fails it as worker_lost.
 * Every write of the run is fenced by its lease: a run that was presumed dead and re-queued can record nothing.
 * Files are written whole before the completing transaction: they are content-addressed, so a crash in between
 * leaves only a harmless unreferenced object, never a completed job without its file, and a failed write fails the
 * run as storage_error (retried like any transient failure) with nothing half-written.
 *
 * Each run is a span of the submission's trace (its context travels in the queue entry's payload, and so into
 * every re-queued entry of the job), and its log lines name the job and its account.
 */
export function createGenerateTask(ctx: EngineContext, watch: RunWatch, log: Log): Task {
  let accountProblems: AccountProblemLog | undefined;
  return async (rawPayload, helpers) => {
    accountProblems ??= new AccountProblemLog((line) => helpers.logger.error(line));
    const problems = accountProblems;
    const payload = GeneratePayload.parse(rawPayload);
    await inTaskSpan(
      `process ${TASKS.generate}`,
      payload,
      {
        "messaging.system": "graphile_worker",
        "messaging.operation.type": "process",
        "messaging.destination.name": TASKS.generate,
        "messaging.message.id": helpers.job.id,
        "mme.job.id": payload.jobId,
      },
      (span) =>
        withLogFields({ jobId: payload.jobId }, () =>
          runJob(ctx, watch, log, problems, payload, helpers, span),
        ),
    );
  };
}

async function runJob(
  ctx: EngineContext,
  watch: RunWatch,
  log: Log,
  accountProblems: AccountProblemLog,
  payload: GeneratePayload,
  helpers: JobHelpers,
  span: Span,
): Promise<void> {
  const { jobId } = payload;
  const trace: TraceCarrier = { traceparent: payload.traceparent, tracestate: payload.tracestate };
  const claim = await claimWithinLimit(ctx, jobId, helpers.job.locked_by ?? "unknown");
  if (claim.state === "ended") return;
  if (claim.state === "wait") {
    // The account runs as many jobs as its plan allows: look again shortly, without spending an attempt.
    await enqueueGenerateLater(
      ctx.db,
      { jobId, ...trace },
      { attemptsLeft: claim.attemptsLeft, delayMs: WAIT_MS, priority: helpers.job.priority },
    );
    span.setAttribute("mme.job.waiting", true);
    return;
  }
  const job = claim.job;
  addLogFields({ accountId: job.account_id });
  span.setAttributes({
    "mme.job.model": job.model,
    "mme.job.type": job.type,
    "mme.job.attempt": job.attempts,
  });
  // Only the first start ends the wait; a retry's backoff is not the queue's.
  if (job.lease === 1) ctx.metrics.jobStarted(job, (Date.now() - job.created_at.getTime()) / 1000);
  const run: JobRun = { jobId, lease: job.lease };
  const attempt = job.attempts;
  // A job's log is advisory: a line that cannot be written never changes how the job goes. Lines are written one
  // after another (provider requests are reported from callbacks), and flushed before the run's outcome is, so
  // the log's order is what happened.
  let written: Promise<unknown> = Promise.resolve();
  const note = (line: Omit<NewJobLog, "jobId" | "attempt">) => {
    written = written.then(() => appendJobLogs(ctx.db, [{ jobId, attempt, ...line }]).catch(() => undefined));
    return written;
  };
  await note({
    kind: "attempt",
    message: `attempt ${attempt} of ${job.max_attempts} started on ${job.model}`,
    details: { worker: helpers.job.locked_by ?? null, model: job.model, maxAttempts: job.max_attempts },
  });
  if (job.attempts > job.max_attempts) {
    // Only the spare queue start gets here: the worker running the job's last attempt stopped mid-run.
    await endRun(
      ctx,
      run,
      {
        code: "worker_lost",
        message: `The worker running its last attempt (${job.max_attempts} of ${job.max_attempts}) stopped before it finished.`,
      },
      log,
    );
    return;
  }
  const generator = ctx.models.find(job.model);
  if (!generator) {
    await endRun(
      ctx,
      run,
      {
        code: "generation_failed",
        message: `Model ${job.model} is no longer available.`,
      },
      log,
    );
    return;
  }
  const timeoutMs = ctx.runTimeouts.byModel[job.model] ?? ctx.runTimeouts.defaultMs;
  const watched = watch.watch(run, { timeoutMs, shutdown: helpers.abortSignal });
  const started = performance.now();
  const ran = (outcome: RunOutcome) => {
    const seconds = (performance.now() - started) / 1000;
    ctx.metrics.jobRun(job.model, outcome, seconds);
    return seconds;
  };
  let served: Served;
  try {
    const input = readJobInput(job.type, job.input);
    served = await runWithFallbacks({
      primary: generator,
      // Only fallbacks that can do what the job asks (its input images, n, …).
      fallbacks: ctx.models.fallbacks(job.model).filter((g) => canServe(g.model, input)),
      input,
      images: await readRunImages(ctx, job.account_id, input),
      attempt: job.attempts,
      fallbackFromAttempt: ctx.fallbackFromAttempt,
      signal: watched.signal,
      onProgress: throttledProgress((fraction) => recordProgress(ctx.db, run, fraction)),
      onAccountProblem: (from, error) => accountProblems.report(from.model, error),
      onProviderCall: (generator, call) => {
        ctx.metrics.providerCall(generator.provider ?? "local", providerOutcome(call), call.seconds);
        void note({
          kind: "provider_request",
          message: `${generator.provider} ${call.host ?? ""} answered ${call.status ?? call.failure} in ${Math.round(call.seconds * 1000)} ms${call.requestId ? ` (request ${call.requestId})` : ""}`,
          details: {
            provider: generator.provider,
            model: generator.model,
            host: call.host,
            status: call.status,
            failure: call.failure,
            ms: Math.round(call.seconds * 1000),
            requestId: call.requestId,
          },
        });
      },
      onFallback: (from, to, error) => {
        helpers.logger.warn(`job ${jobId}: ${from.model} failed (${error.message}); trying ${to.model}`);
        void note({
          kind: "fallback",
          message: `${from.model} failed (${error.message}); trying ${to.model}`,
          details: { from: from.model, to: to.model, error: error.message },
        });
      },
    });
  } catch (error) {
    await written;
    if (watched.stopped) {
      ran("stopped");
      return afterStop(ctx, job, run, watched.stopped, timeoutMs, helpers, trace, log);
    }
    if (error instanceof PermanentGenerationError) {
      ran("permanent_error");
      await endRun(ctx, run, { code: error.code, message: error.message }, log);
      return;
    }
    ran("transient_error");
    return retryOrFail(ctx, job, run, error, "attempts_exhausted", log, helpers.job.attempts);
  } finally {
    watched.end();
  }
  const seconds = ran("ok");
  await note({
    kind: "completed",
    message: `${served.generator.model} made ${served.files.length} file${served.files.length === 1 ? "" : "s"} in ${Math.round(seconds * 1000)} ms`,
    details: {
      model: served.generator.model,
      provider: served.generator.provider ?? "local",
      files: served.files.length,
    },
  });
  // Stopped after the generator had finished: the cancel or the takeover wins; its output is not kept.
  if (watched.stopped && watched.stopped !== "shutdown" && watched.stopped !== "timeout") {
    return afterStop(ctx, job, run, watched.stopped, timeoutMs, helpers, trace, log);
  }
  let stored: StoredBlob[];
  try {
    stored = await storeFiles(ctx, served.files);
  } catch (error) {
    return retryOrFail(ctx, job, run, error, "storage_error", log, helpers.job.attempts);
  }
  const servedBy = { model: served.generator.model, provider: served.generator.provider ?? "local" };
  const completing = untilDatabaseAnswers(() =>
    ctx.db.transaction().execute(async (trx) => {
      const row = await completeJob(trx, run, servedBy);
      if (!row) return undefined;
      await holdStoredFiles(trx, ctx, served.files, stored);
      await insertAssets(
        trx,
        served.files.map((file, position) => ({
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
      await afterJobEnded(trx, ctx, row, "job.completed");
      return row;
    }),
  );
  let completed: JobRow | undefined;
  try {
    completed = await completing;
  } catch (error) {
    // Putting back a file retention had just deleted failed: nothing was committed.
    if (error instanceof AssetStoreError)
      return retryOrFail(ctx, job, run, error, "storage_error", log, helpers.job.attempts);
    throw error;
  }
  // Canceled, or taken over, while it ran: the output is dropped and the slot given back.
  if (!completed) {
    await untilDatabaseAnswers(() => releaseRun(ctx.db, run));
    return;
  }
  ctx.metrics.jobEnded(completed);
  log.info("job completed", {
    model: job.model,
    servedBy: servedBy.model,
    attempt: job.attempts,
    runMs: Math.round(seconds * 1000),
  });
}

/** What follows a run the watch stopped, once its generator has really stopped. */
async function afterStop(
  ctx: EngineContext,
  job: JobRow,
  run: JobRun,
  reason: StopReason,
  timeoutMs: number,
  helpers: JobHelpers,
  trace: TraceCarrier,
  log: Log,
): Promise<void> {
  switch (reason) {
    case "canceled":
      // The job already ended (and released its credits) when it was canceled; now its slot is free too.
      await untilDatabaseAnswers(() => releaseRun(ctx.db, run));
      return;
    case "superseded":
      return; // a later run owns the job
    case "timeout":
      await endRun(
        ctx,
        run,
        {
          code: "timeout",
          message: `It ran longer than ${job.model}'s run timeout of ${Math.round(timeoutMs / 1000)} s.`,
        },
        log,
      );
      return;
    case "shutdown":
      // Handed back: queued again at once for another worker, and this run does not count as an attempt. The
      // queue entry this task holds gives its key to the new one and is then finished as done.
      await untilDatabaseAnswers(() =>
        ctx.db.transaction().execute(async (trx) => {
          if (!(await requeueJob(trx, run, { giveBackAttempt: true }))) return;
          await enqueueGenerateLater(
            trx,
            { jobId: run.jobId, ...trace },
            { attemptsLeft: job.max_attempts - job.attempts + 1, delayMs: 0, priority: helpers.job.priority },
          );
        }),
      );
      helpers.logger.info(`job ${run.jobId}: handed back to the queue at shutdown`);
      return;
  }
}

/**
 * A transient failure: back to the queue while attempts are left (the error is rethrown so graphile-worker waits
 * its backoff before the next start), else the job fails with `finalCode`.
 */
async function retryOrFail(
  ctx: EngineContext,
  job: JobRow,
  run: JobRun,
  error: unknown,
  finalCode: "attempts_exhausted" | "storage_error",
  log: Log,
  attempts?: number,
): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  if (job.attempts >= job.max_attempts) {
    await endRun(
      ctx,
      run,
      {
        code: finalCode,
        message:
          finalCode === "storage_error"
            ? `Its files could not be stored: ${message}`
            : `Gave up after ${job.attempts} attempts: ${message}`,
      },
      log,
    );
    return;
  }
  // graphile-worker waits exp(min(starts, 10)) seconds before the entry's next start.
  const waitSeconds = Math.round(Math.exp(Math.min(attempts ?? job.attempts, 10)));
  await appendJobLogs(ctx.db, [
    {
      jobId: job.id,
      kind: "retry",
      attempt: job.attempts,
      message: `attempt ${job.attempts} failed (${message}); retrying in about ${waitSeconds} s`,
      details: {
        reason: message,
        code: finalCode === "storage_error" ? "storage_error" : "transient",
        waitSeconds,
      },
    },
  ]).catch(() => undefined);
  await untilDatabaseAnswers(() => requeueJob(ctx.db, run));
  throw error;
}

/** Fails the run's job and records its job.failed event, together; nothing if the run no longer holds the job. */
async function endRun(
  ctx: EngineContext,
  run: JobRun,
  error: { code: string; message: string },
  log: Log,
): Promise<void> {
  const failed = await untilDatabaseAnswers(() =>
    ctx.db.transaction().execute(async (trx) => {
      const row = await failJob(trx, run, error);
      if (!row) return row;
      await appendJobLogs(trx, [
        {
          jobId: run.jobId,
          kind: "error",
          attempt: row.attempts,
          message: `${error.code}: ${error.message}`,
          details: { code: error.code },
        },
      ]);
      await afterJobEnded(trx, ctx, row, "job.failed");
      return row;
    }),
  );
  if (!failed) return;
  ctx.metrics.jobEnded(failed);
  log.info("job failed", { model: failed.model, attempt: failed.attempts, code: error.code });
}
