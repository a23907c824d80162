/**
 * A fault and when it strikes, in milliseconds after the load starts. The times are a schedule, never an
 * assertion: a busy machine only moves what happens between them.
 */
export type Fault =
  /** kill -9 a worker process, then start a replacement. `target` picks the victim (see faults.ts). */
  | { kind: "kill-worker"; atMs: number; target: "busy" | "last-attempt" }
  /** kill -9 an API process, then start it again on its port. */
  | { kind: "kill-api"; atMs: number }
  /** SIGSTOP a busy worker (and its ffmpeg) for `forMs`, past the stale time, then SIGCONT. */
  | { kind: "stop-worker"; atMs: number; forMs: number }
  /** Stop Postgres (fast shutdown), keep it down `downMs`, start it again on the same port and data folder. */
  | { kind: "restart-postgres"; atMs: number; downMs: number }
  /** Fill the asset disk (a tmpfs; root only) until ENOSPC, hold `holdMs`, free it. */
  | { kind: "fill-disk"; atMs: number; holdMs: number }
  /** The webhook receiver stops listening for `forMs`, then listens again on its port. */
  | { kind: "receiver-down"; atMs: number; forMs: number };

export type FaultKind = Fault["kind"];

/** Relative weights of the kinds of job the load submits. */
export interface LoadMix {
  /** local-studio with a preset. */
  image: number;
  /** local-voice. */
  speech: number;
  /** local-motion, 1–3 s. */
  video: number;
  /** dev-sleep, 1–4 s: jobs long enough to be caught mid-run by a fault. */
  sleep: number;
}

export interface ChaosOptions {
  name: string;
  /** How long the load runs; the faults fall inside it. */
  loadMs: number;
  jobsPerSecond: number;
  /** GET /v1/jobs/{jobId} of accepted jobs, per second. */
  pollsPerSecond: number;
  mix: LoadMix;
  /** Share of jobs that ask for a webhook (0 to 1). */
  webhookShare: number;
  /** Share of jobs canceled right after they are accepted (most still queued). */
  cancelQueuedShare: number;
  /** Share of dev-sleep jobs canceled once they are seen processing. */
  cancelProcessingShare: number;
  faults: Fault[];
  /** The longest wait after the load for every job to end and every webhook to arrive. */
  drainMs: number;
  /** The whole run, from the first process to the last clean-up: past it the run stops and reports. */
  deadlineMs: number;
  /** Size of the tmpfs mounted on the shared assets folder when the disk is to be filled. */
  assetDiskMb: number;
  /** Share of API requests that must be answered (not 5xx) outside the Postgres restart. */
  availabilityAim: number;
  /** Settings of every engine process (see apps/server/src/env.ts), on top of the harness's own. */
  engineEnv: Record<string, string>;
}

/** Engine settings that make recovery fit the time box. */
const ENGINE_ENV = {
  MME_WORKER_STALE_MS: "5000",
  MME_WORKER_HEARTBEAT_MS: "1000",
  MME_WEBHOOK_RETRY_SCHEDULE: "0,1,2,5,10,20,30",
  MME_WEBHOOK_TIMEOUT_MS: "5000",
  MME_WEBHOOK_ALLOW_PRIVATE: "1",
  MME_DEV_MODELS: "1",
  MME_WORKER_CONCURRENCY: "2",
};

/**
 * `pnpm chaos`: every fault once (the worker twice: the second kill waits for a job on its last attempt), about
 * four and a half minutes from start to clean-up at most.
 */
export const FULL_RUN: ChaosOptions = {
  name: "full",
  loadMs: 150_000,
  jobsPerSecond: 1.5,
  pollsPerSecond: 4,
  mix: { image: 35, speech: 25, video: 10, sleep: 30 },
  webhookShare: 0.5,
  cancelQueuedShare: 0.06,
  cancelProcessingShare: 0.15,
  faults: [
    { kind: "kill-worker", atMs: 6_000, target: "busy" },
    { kind: "kill-worker", atMs: 12_000, target: "last-attempt" },
    { kind: "kill-api", atMs: 20_000 },
    { kind: "stop-worker", atMs: 32_000, forMs: 12_000 },
    { kind: "fill-disk", atMs: 50_000, holdMs: 20_000 },
    { kind: "restart-postgres", atMs: 80_000, downMs: 5_000 },
    { kind: "receiver-down", atMs: 92_000, forMs: 60_000 },
  ],
  drainMs: 80_000,
  deadlineMs: 295_000,
  assetDiskMb: 300,
  availabilityAim: 0.999,
  engineEnv: { ...ENGINE_ENV, MME_JOB_MAX_ATTEMPTS: "2" },
};

/**
 * The run inside `pnpm test`, otherwise like the full one: the cheap faults once each. One attempt per job, so the killed worker's jobs are
 * on their last attempt: the engine must still end them.
 */
export const SHORT_RUN: ChaosOptions = {
  ...FULL_RUN,
  name: "short",
  loadMs: 30_000,
  jobsPerSecond: 1,
  mix: { image: 35, speech: 25, video: 5, sleep: 35 },
  faults: [
    { kind: "kill-worker", atMs: 5_000, target: "busy" },
    { kind: "kill-api", atMs: 10_000 },
    { kind: "receiver-down", atMs: 14_000, forMs: 8_000 },
  ],
  drainMs: 45_000,
  deadlineMs: 180_000,
  engineEnv: { ...ENGINE_ENV, MME_JOB_MAX_ATTEMPTS: "1" },
};
