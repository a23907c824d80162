import type { Database } from "@mcpmediaengine/db";
import type { Kysely } from "kysely";
import { type JobRun, runStates } from "../repositories/jobs";

/** Why a run was stopped before its generator finished. */
export type StopReason =
  /** The caller canceled the job. */
  | "canceled"
  /** The job was re-queued and started again elsewhere (this worker was presumed dead): this run is fenced off. */
  | "superseded"
  /** It ran longer than its model's run timeout. */
  | "timeout"
  /** This worker is shutting down and its grace period is over: the run goes back to the queue. */
  | "shutdown";

export interface WatchedRun {
  /** Aborted when the run must stop; handed to the generator. */
  signal: AbortSignal;
  /** Why the run was stopped, once it was. */
  readonly stopped: StopReason | undefined;
  /** The run is over: stop watching it. */
  end(): void;
}

/**
 * Watches this process's running jobs: a few times a second it reads their status and lease in one query, and
 * aborts a run whose job was canceled or taken over by a later run; it also stops a run at its timeout and when
 * the worker's grace period at shutdown is over. A failed read (the database is away) aborts nothing.
 */
export class RunWatch {
  private readonly runs = new Map<string, { lease: number; stop(reason: StopReason): void }>();
  private timer: NodeJS.Timeout | undefined;
  private reading = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly intervalMs = 250,
  ) {}

  watch(run: JobRun, options: { timeoutMs: number; shutdown?: AbortSignal }): WatchedRun {
    const controller = new AbortController();
    let stopped: StopReason | undefined;
    const stop = (reason: StopReason) => {
      if (stopped) return;
      stopped = reason;
      controller.abort(new Error(`run stopped: ${reason}`));
    };
    const timeout = setTimeout(() => stop("timeout"), options.timeoutMs);
    const onShutdown = () => stop("shutdown");
    if (options.shutdown?.aborted) onShutdown();
    options.shutdown?.addEventListener("abort", onShutdown, { once: true });
    this.runs.set(run.jobId, { lease: run.lease, stop });
    this.timer ??= setInterval(() => void this.check(), this.intervalMs);
    return {
      signal: controller.signal,
      get stopped() {
        return stopped;
      },
      end: () => {
        clearTimeout(timeout);
        options.shutdown?.removeEventListener("abort", onShutdown);
        if (this.runs.get(run.jobId)?.lease === run.lease) this.runs.delete(run.jobId);
        if (this.runs.size === 0) this.close();
      },
    };
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async check(): Promise<void> {
    if (this.reading || this.runs.size === 0) return;
    this.reading = true;
    try {
      const states = await runStates(this.db, [...this.runs.keys()]);
      for (const state of states) {
        const run = this.runs.get(state.id);
        if (!run) continue;
        if (state.lease !== run.lease) run.stop("superseded");
        else if (state.status !== "processing")
          run.stop(state.status === "canceled" ? "canceled" : "superseded");
      }
    } catch {
      // The database is away: keep running; the completing write waits for it, fenced by the lease.
    } finally {
      this.reading = false;
    }
  }
}
