import { EventEmitter } from "node:events";
import { hostname } from "node:os";
import { isConnectionError } from "@mcpmediaengine/db";
import {
  Logger,
  type RunnerOptions,
  run,
  type Task,
  type TaskList,
  type WorkerEvents,
} from "graphile-worker";
import { sql } from "kysely";
import type pg from "pg";
import type { EngineContext } from "../context";
import type { Log } from "../logger";
import type { EngineMetrics, Runner } from "../observe/metrics";
import { CRONTAB, CronPayload, TASKS } from "../queue/tasks";
import { deleteExpiredKeys } from "../repositories/idempotency-keys";
import { dropOldProgressEvents } from "../repositories/job-events";
import { deleteEndedWindows } from "../repositories/rate-limits";
import { expireGracePeriods } from "../services/billing/grace";
import { createAssetRetentionTask } from "./asset-retention-task";
import { startDeadlineSweep } from "./deadline-sweep";
import { createGenerateTask } from "./generate-task";
import { createMonthlyGrantsTask } from "./monthly-grants-task";
import { type RecoveryOptions, WorkerRecovery } from "./recovery";
import { RunWatch } from "./run-watch";
import { superviseRunner } from "./supervised-runner";
import { createWebhookTask } from "./webhook-task";

export interface WorkerOptions {
  /**
   * The queue's own pool. Give it `waitWhileDown` (see @mcpmediaengine/db createPool): graphile-worker 0.17 does
   * not await its writes of a job's end, so a failed connection there would be an unhandled rejection.
   */
  pool: pg.Pool;
  log: Log;
  concurrency: number;
  /** Webhook deliveries sent at once, by a runner of their own so slow receivers never hold up jobs. */
  webhookConcurrency?: number;
  recovery: RecoveryOptions;
  /**
   * Resolves at once while the database is up; while it is away, when it is back or the process stops. Workers wait
   * on it before they look for a job, so none is caught mid-poll by a shutdown during an outage.
   */
  waitForDatabase?: () => Promise<void>;
  /**
   * How long a graceful stop lets running jobs and deliveries finish (MME_SHUTDOWN_GRACE_SECONDS, default 60 s);
   * then the jobs still running are aborted and handed back to the queue without spending an attempt.
   */
  shutdownGraceMs?: number;
  /** How often overdue jobs (cancelAfter) are looked for; about a second unless given. */
  deadlineSweepMs?: number;
}

export interface WorkerHandle {
  stop(): Promise<void>;
}

/** Starts graphile-worker on this process with our tasks, and the dead-worker recovery beside it. */
export async function startWorker(ctx: EngineContext, options: WorkerOptions): Promise<WorkerHandle> {
  const events = new EventEmitter() as WorkerEvents;
  const recovery = new WorkerRecovery(ctx, `${hostname()}:${process.pid}`, options.recovery, (error) =>
    // A lost database is reported once by the process's DatabaseWatch, not at every heartbeat.
    (isConnectionError(error) ? options.log.debug : options.log.warn)("worker recovery sweep failed", {
      error: String(error),
    }),
  );
  // graphile-worker 0.17 locks jobs in the name of the worker pool, not of each worker: the pool id is what
  // graphile_worker.jobs.locked_by holds, so it is what must beat.
  events.on("pool:create", ({ workerPool }) => recovery.add(workerPool.id));
  const watch = new RunWatch(ctx.db);
  const graceMs = options.shutdownGraceMs ?? 60_000;
  const jobOptions: RunnerOptions = {
    pgPool: options.pool,
    concurrency: options.concurrency,
    noHandleSignals: true,
    pollInterval: 1000,
    events,
    logger: graphileLogger(options.log),
    gracefulShutdownAbortTimeout: graceMs,
    crontab: CRONTAB,
    taskList: countingSlots(ctx.metrics, "job", {
      [TASKS.generate]: createGenerateTask(ctx, watch, options.log),
      [TASKS.monthlyGrants]: createMonthlyGrantsTask(ctx, options.log),
      [TASKS.cleanup]: async () => {
        await deleteEndedWindows(ctx.db);
        await deleteExpiredKeys(ctx.db);
        await dropOldProgressEvents(ctx.db);
      },
      [TASKS.assetRetention]: createAssetRetentionTask(ctx, options.log),
      [TASKS.billingGrace]: async (rawPayload) => {
        CronPayload.parse(rawPayload);
        const downgraded = await expireGracePeriods({ ctx });
        if (downgraded > 0) options.log.info("grace periods ended: accounts back to Free", { downgraded });
      },
    }),
  };
  // A runner only takes the tasks it knows, so deliveries and jobs never wait for each other's slots.
  const webhookOptions: RunnerOptions = {
    pgPool: options.pool,
    concurrency: options.webhookConcurrency ?? 16,
    noHandleSignals: true,
    pollInterval: 1000,
    events,
    logger: graphileLogger(options.log),
    gracefulShutdownAbortTimeout: graceMs,
    taskList: countingSlots(ctx.metrics, "webhook", { [TASKS.webhook]: createWebhookTask(ctx) }),
  };
  ctx.metrics.workerSlots("job", options.concurrency);
  ctx.metrics.workerSlots("webhook", webhookOptions.concurrency ?? 16);
  // Each runner is supervised: one that ends without being asked to is replaced (see superviseRunner).
  const release = async (poolIds: string[]) => {
    await sql`select graphile_worker.force_unlock_workers(${poolIds}::text[])`.execute(ctx.db);
  };
  // graphile-worker awaits forbiddenFlags before each look for a job, and a pool shutting down then finds none:
  // the one place a worker can wait for the database and still end cleanly if the process stops meanwhile.
  const waitForDatabase = options.waitForDatabase;
  const forbiddenFlags = waitForDatabase && (() => waitForDatabase().then(() => null));
  const supervised = (name: string, runnerOptions: RunnerOptions) =>
    superviseRunner({
      name,
      log: options.log,
      events,
      release,
      start: (own) => run({ ...runnerOptions, events: own, forbiddenFlags }),
    });
  const runner = await supervised("job", jobOptions);
  const webhookRunner = await supervised("webhook", webhookOptions);
  recovery.start();
  const deadlines = startDeadlineSweep(ctx, options.log, options.deadlineSweepMs);
  return {
    // Both runners stop taking work at once and share one grace period; the heartbeat goes on meanwhile, so
    // other workers do not take this one's running jobs for dead.
    async stop() {
      await deadlines.stop();
      await Promise.all([webhookRunner.stop(), runner.stop()]);
      watch.close();
      await recovery.stop();
    },
  };
}

/** The tasks, each counted as a busy slot of `runner` while it runs. */
function countingSlots(metrics: EngineMetrics, runner: Runner, tasks: Record<string, Task>): TaskList {
  return Object.fromEntries(
    Object.entries(tasks).map(([name, task]): [string, Task] => [
      name,
      async (payload, helpers) => {
        metrics.slotTaken(runner);
        try {
          return await task(payload, helpers);
        } finally {
          metrics.slotFreed(runner);
        }
      },
    ]),
  );
}

function graphileLogger(log: Log): Logger {
  return new Logger((scope) => (level, message, meta) => {
    const fields = scope.jobId ? { graphileJob: scope.jobId } : undefined;
    // While the database is away graphile-worker reports every failed poll, listen and job: the DatabaseWatch
    // says it once instead, and these go to debug, first line only (no stack).
    if (connectionTrouble(meta)) log.debug(message.split("\n")[0]!, fields);
    else if (level === "error") log.error(message, fields);
    else if (level === "warning") log.warn(message, fields);
    else log.debug(message, fields);
  });
}

function connectionTrouble(meta: unknown): boolean {
  const { error, fatalError } = (meta ?? {}) as { error?: unknown; fatalError?: unknown };
  return isConnectionError(error) || isConnectionError(fatalError);
}
