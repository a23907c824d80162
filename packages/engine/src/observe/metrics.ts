import type pg from "pg";
import { Counter, collectDefaultMetrics, Gauge, Histogram, type Metric, Registry } from "prom-client";

/** A pool whose use is reported: its name (the `pool` label) and its largest size. */
interface WatchedPool {
  name: string;
  pool: pg.Pool;
  max: number;
}

/** What a job is, as its metrics label it. Every label value comes from a closed set (no ids, no URLs). */
export interface JobLabels {
  type: string;
  model: string;
}

export type ProviderOutcome =
  | "ok"
  | "client_error"
  | "rate_limited"
  | "server_error"
  | "timeout"
  | "network_error"
  | "aborted";

export type WebhookOutcome = "succeeded" | "retrying" | "failed" | "gone";

export type RunOutcome = "ok" | "permanent_error" | "transient_error" | "stopped";

export type Runner = "job" | "webhook";

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const WAIT_SECONDS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];
const RUN_SECONDS = [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

/**
 * This process's Prometheus metrics, one registry per engine. Counters and histograms count what happened in
 * this process (Prometheus scrapes every replica and sums them); the queue gauges are read from the database at
 * scrape time (`readQueue`), so every replica reports the same, true depth (aggregate them with max, not sum).
 * When disabled (MME_METRICS=0) every method returns at once and the page is not served.
 */
export class EngineMetrics {
  readonly registry = new Registry();
  readonly enabled: boolean;
  private readonly pools: WatchedPool[] = [];
  private readQueue?: () => Promise<QueueDepth[]>;

  private readonly httpRequests = new Counter({
    name: "mme_http_requests_total",
    help: "HTTP requests answered, by method, route pattern and status.",
    labelNames: ["method", "route", "status"] as const,
    registers: [],
  });
  private readonly httpDuration = new Histogram({
    name: "mme_http_request_duration_seconds",
    help: "Time to answer an HTTP request (to the response's headers), by method and route pattern.",
    labelNames: ["method", "route"] as const,
    buckets: SECONDS,
    registers: [],
  });
  private readonly submitted = new Counter({
    name: "mme_jobs_submitted_total",
    help: "Jobs accepted (alone or in a batch), by type and model.",
    labelNames: ["type", "model"] as const,
    registers: [],
  });
  private readonly completed = new Counter({
    name: "mme_jobs_completed_total",
    help: "Jobs completed, by type and model.",
    labelNames: ["type", "model"] as const,
    registers: [],
  });
  private readonly failed = new Counter({
    name: "mme_jobs_failed_total",
    help: "Jobs failed, by type, model and error code.",
    labelNames: ["type", "model", "code"] as const,
    registers: [],
  });
  private readonly canceled = new Counter({
    name: "mme_jobs_canceled_total",
    help: "Jobs canceled, by type and model.",
    labelNames: ["type", "model"] as const,
    registers: [],
  });
  private readonly creditsSpent = new Counter({
    name: "mme_credits_spent_total",
    help: "Credits captured by completed jobs, by type and model.",
    labelNames: ["type", "model"] as const,
    registers: [],
  });
  private readonly wait = new Histogram({
    name: "mme_job_wait_seconds",
    help: "From a job's acceptance to its first start on a worker, by type and model.",
    labelNames: ["type", "model"] as const,
    buckets: WAIT_SECONDS,
    registers: [],
  });
  private readonly run = new Histogram({
    name: "mme_job_run_seconds",
    help: "One run of a job's generators, by the job's model and how the run ended.",
    labelNames: ["model", "outcome"] as const,
    buckets: RUN_SECONDS,
    registers: [],
  });
  private readonly webhooks = new Counter({
    name: "mme_webhook_deliveries_total",
    help: "Webhook delivery attempts, by outcome (succeeded; retrying, failed or gone after a failed attempt).",
    labelNames: ["outcome"] as const,
    registers: [],
  });
  private readonly webhookDuration = new Histogram({
    name: "mme_webhook_delivery_duration_seconds",
    help: "Time a webhook receiver took to answer one attempt (or to fail), by outcome.",
    labelNames: ["outcome"] as const,
    buckets: SECONDS,
    registers: [],
  });
  private readonly providerCalls = new Counter({
    name: "mme_provider_requests_total",
    help: "HTTP requests to hosted providers, by provider and outcome (rate_limited is a 429).",
    labelNames: ["provider", "outcome"] as const,
    registers: [],
  });
  private readonly providerDuration = new Histogram({
    name: "mme_provider_request_duration_seconds",
    help: "Time of one HTTP exchange with a hosted provider, body included, by provider.",
    labelNames: ["provider"] as const,
    buckets: [...SECONDS, 30, 60, 120],
    registers: [],
  });
  private readonly slots = new Gauge({
    name: "mme_worker_slots",
    help: "Worker slots of this process, by runner (job: generation, webhook: deliveries).",
    labelNames: ["runner"] as const,
    registers: [],
  });
  private readonly busy = new Gauge({
    name: "mme_worker_slots_busy",
    help: "Worker slots of this process running a task now, by runner.",
    labelNames: ["runner"] as const,
    registers: [],
  });

  constructor(options: { enabled?: boolean } = {}) {
    this.enabled = options.enabled ?? true;
    if (!this.enabled) return;
    for (const metric of <Metric[]>[
      this.httpRequests,
      this.httpDuration,
      this.submitted,
      this.completed,
      this.failed,
      this.canceled,
      this.creditsSpent,
      this.wait,
      this.run,
      this.webhooks,
      this.webhookDuration,
      this.providerCalls,
      this.providerDuration,
      this.slots,
      this.busy,
    ]) {
      this.registry.registerMetric(metric);
    }
    this.registerPoolGauges();
    this.registerQueueGauges();
    collectDefaultMetrics({ register: this.registry });
  }

  httpRequest(method: string, route: string, status: number, seconds: number): void {
    if (!this.enabled) return;
    this.httpRequests.inc({ method, route, status: String(status) });
    this.httpDuration.observe({ method, route }, seconds);
  }

  jobsSubmitted(job: JobLabels, count = 1): void {
    if (this.enabled) this.submitted.inc({ type: job.type, model: job.model }, count);
  }

  /** A job ended: call it once the statement that ended it has committed. */
  jobEnded(job: JobLabels & { status: string; error_code: string | null; cost_credits: number }): void {
    if (!this.enabled) return;
    const labels = { type: job.type, model: job.model };
    if (job.status === "completed") {
      this.completed.inc(labels);
      if (job.cost_credits > 0) this.creditsSpent.inc(labels, job.cost_credits);
    } else if (job.status === "failed") {
      this.failed.inc({ ...labels, code: job.error_code ?? "unknown" });
    } else if (job.status === "canceled") {
      this.canceled.inc(labels);
    }
  }

  jobStarted(job: JobLabels, waitedSeconds: number): void {
    if (this.enabled) this.wait.observe({ type: job.type, model: job.model }, Math.max(0, waitedSeconds));
  }

  jobRun(model: string, outcome: RunOutcome, seconds: number): void {
    if (this.enabled) this.run.observe({ model, outcome }, seconds);
  }

  webhookAttempt(outcome: WebhookOutcome, seconds: number): void {
    if (!this.enabled) return;
    this.webhooks.inc({ outcome });
    this.webhookDuration.observe({ outcome }, seconds);
  }

  providerCall(provider: string, outcome: ProviderOutcome, seconds: number): void {
    if (!this.enabled) return;
    this.providerCalls.inc({ provider, outcome });
    this.providerDuration.observe({ provider }, seconds);
  }

  workerSlots(runner: Runner, slots: number): void {
    if (!this.enabled) return;
    this.slots.set({ runner }, slots);
    this.busy.set({ runner }, 0);
  }

  slotTaken(runner: Runner): void {
    if (this.enabled) this.busy.inc({ runner });
  }

  slotFreed(runner: Runner): void {
    if (this.enabled) this.busy.dec({ runner });
  }

  /** Reports a pool's connections at each scrape. */
  watchPool(name: string, pool: pg.Pool, max: number): void {
    this.pools.push({ name, pool, max });
  }

  /** Where the queue gauges come from: a read of the database at scrape time. */
  readQueueFrom(read: () => Promise<QueueDepth[]>): void {
    this.readQueue = read;
  }

  /** The page, in Prometheus's text format. */
  async page(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private registerPoolGauges(): void {
    const pools = this.pools;
    this.registry.registerMetric(
      new Gauge({
        name: "mme_db_pool_connections",
        help: "Database connections of this process's pools, by pool and state (busy: lent out; idle: kept open).",
        labelNames: ["pool", "state"] as const,
        registers: [],
        collect() {
          this.reset();
          for (const { name, pool } of pools) {
            this.set({ pool: name, state: "busy" }, pool.totalCount - pool.idleCount);
            this.set({ pool: name, state: "idle" }, pool.idleCount);
          }
        },
      }),
    );
    this.registry.registerMetric(
      new Gauge({
        name: "mme_db_pool_waiting",
        help: "Callers waiting for a connection of this process's pools, by pool.",
        labelNames: ["pool"] as const,
        registers: [],
        collect() {
          this.reset();
          for (const { name, pool } of pools) this.set({ pool: name }, pool.waitingCount);
        },
      }),
    );
    this.registry.registerMetric(
      new Gauge({
        name: "mme_db_pool_max",
        help: "The most connections each of this process's pools opens, by pool.",
        labelNames: ["pool"] as const,
        registers: [],
        collect() {
          this.reset();
          for (const { name, max } of pools) this.set({ pool: name }, max);
        },
      }),
    );
  }

  private registerQueueGauges(): void {
    // One read of the database serves both gauges of a scrape: the first to collect starts it.
    let reading: Promise<QueueDepth[] | undefined> | undefined;
    const read = () => {
      reading ??= (this.readQueue?.() ?? Promise.resolve(undefined))
        .catch(() => undefined) // the database is away: the gauges are left out of this page, which still answers
        .finally(() => {
          setImmediate(() => {
            reading = undefined;
          });
        });
      return reading;
    };
    this.registry.registerMetric(
      new Gauge({
        name: "mme_queue_jobs",
        help: "Entries in the job queue (from the database: the same on every replica), by task (generate, webhook, other) and state (ready: waiting for a worker; delayed: to run later; running).",
        labelNames: ["task", "state"] as const,
        registers: [],
        async collect() {
          this.reset();
          for (const row of (await read()) ?? []) {
            this.set({ task: row.task, state: "ready" }, row.ready);
            this.set({ task: row.task, state: "delayed" }, row.delayed);
            this.set({ task: row.task, state: "running" }, row.running);
          }
        },
      }),
    );
    this.registry.registerMetric(
      new Gauge({
        name: "mme_queue_oldest_ready_seconds",
        help: "How long the longest-waiting ready entry of each task has waited for a worker (0 when none waits).",
        labelNames: ["task"] as const,
        registers: [],
        async collect() {
          this.reset();
          for (const row of (await read()) ?? []) this.set({ task: row.task }, row.oldestReadySeconds);
        },
      }),
    );
  }
}

/** The queue's entries of one task, as the database has them now. */
export interface QueueDepth {
  task: "generate" | "webhook" | "other";
  ready: number;
  delayed: number;
  running: number;
  oldestReadySeconds: number;
}
