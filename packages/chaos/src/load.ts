import { randomUUID } from "node:crypto";
import type { Answer, ApiClient } from "./client";
import type { ChaosOptions, LoadMix } from "./options";

export type JobKind = keyof LoadMix;

/** One job the customer submitted, and what the API told them about it. */
export interface SubmittedJob {
  n: number;
  kind: JobKind;
  idempotencyKey: string;
  webhook: boolean;
  /** The job of the first 202 (acknowledged); undefined when no attempt got one. */
  jobId?: string;
  /** Other jobs a retry with the same Idempotency-Key was answered with: a duplicate (must stay empty). */
  otherJobIds: string[];
  /** Why it was refused, when the last attempt got a 4xx other than a retryable one: "status code". */
  refused?: string;
  /** When the customer canceled it: right after it was accepted, or once it was seen processing. */
  cancel?: "queued" | "processing";
  /** The answer to the cancel: its status, or why none came. */
  cancelOutcome?: string;
}

/** A POST the customer retries (same Idempotency-Key) when no answer or a 5xx comes: at most this often… */
const MAX_TRIES = 8;
/** …and for at most this long. */
const RETRY_FOR_MS = 60_000;

const PRESETS = ["blog_thumbnail", "social_post", "product_shot"] as const;
const SENTENCES = [
  "The quick brown fox jumps over the lazy dog.",
  "Every job ends: completed, failed or canceled, never lost.",
  "A worker may crash at any moment; the queue must not notice.",
  "Postgres restarts, the disk fills, and the engine keeps its promises.",
];

/**
 * The customer: a steady mix of images, speech, short clips and sleep jobs, half of them with a webhook, spread
 * over both API processes; some canceled while queued, some while processing.
 */
export class Load {
  readonly jobs: SubmittedJob[] = [];

  constructor(
    private readonly client: ApiClient,
    private readonly options: ChaosOptions,
    private readonly webhookUrl: string,
    private readonly voices: string[],
  ) {}

  /**
   * Submits and polls at the set rates for the load's duration, then waits for every submission and cancel to
   * settle.
   */
  async run(signal: AbortSignal): Promise<void> {
    const started = Date.now();
    const pending: Promise<void>[] = [];
    await Promise.all([
      this.atRate(this.options.jobsPerSecond, started, signal, (n) => pending.push(this.one(n, signal))),
      // Customers also watch their jobs: GETs of jobs already accepted, which make the availability figure.
      this.atRate(this.options.pollsPerSecond, started, signal, () => {
        const acked = this.jobs.filter((j) => j.jobId);
        const job = acked[Math.floor(Math.random() * acked.length)];
        if (job) pending.push(this.client.request("GET", `/v1/jobs/${job.jobId}`).then(() => {}));
      }),
    ]);
    await Promise.all(pending);
  }

  private async atRate(perSecond: number, started: number, signal: AbortSignal, act: (n: number) => void) {
    const count = Math.floor((this.options.loadMs / 1000) * perSecond);
    for (let n = 0; n < count && !signal.aborted; n++) {
      await sleep(started + (n * 1000) / perSecond - Date.now(), signal);
      if (!signal.aborted) act(n);
    }
  }

  private async one(n: number, signal: AbortSignal): Promise<void> {
    const kind = pick(this.options.mix);
    const job: SubmittedJob = {
      n,
      kind,
      idempotencyKey: `chaos-${randomUUID()}`,
      webhook: Math.random() < this.options.webhookShare,
      otherJobIds: [],
    };
    this.jobs.push(job);
    const body = { ...this.request(kind, n), ...(job.webhook && { webhookUrl: this.webhookUrl }) };
    const answer = await this.postWithRetries("/v1/jobs", body, job.idempotencyKey, signal, (a) => {
      const jobId = (a.body as { jobId?: string } | null)?.jobId;
      if (a.status !== 202 || !jobId) return;
      if (job.jobId === undefined) job.jobId = jobId;
      else if (jobId !== job.jobId) job.otherJobIds.push(jobId);
    });
    if (!job.jobId) {
      if (answer && answer.status < 500) job.refused = `${answer.status} ${errorCode(answer)}`;
      return;
    }
    if (Math.random() < this.options.cancelQueuedShare) {
      job.cancel = "queued";
    } else if (kind === "sleep" && Math.random() < this.options.cancelProcessingShare) {
      if (!(await this.seenProcessing(job.jobId, signal))) return;
      job.cancel = "processing";
    } else {
      return;
    }
    const cancel = await this.postWithRetries(
      `/v1/jobs/${job.jobId}/cancel`,
      {},
      `${job.idempotencyKey}-cancel`,
      signal,
    );
    job.cancelOutcome = cancel ? `${cancel.status}` : "no answer";
  }

  private request(kind: JobKind, n: number): Record<string, unknown> {
    const metadata = { chaos: String(n) };
    switch (kind) {
      case "image":
        return {
          type: "image",
          model: "local-studio",
          preset: PRESETS[n % PRESETS.length],
          prompt: `Chaos run, image ${n}`,
          seed: n,
          metadata,
        };
      case "speech":
        return {
          type: "audio",
          model: "local-voice",
          prompt: SENTENCES[n % SENTENCES.length],
          ...(this.voices.length > 0 && { voice: this.voices[n % this.voices.length] }),
          format: n % 2 === 0 ? "mp3" : "wav",
          metadata,
        };
      case "video":
        return {
          type: "video",
          model: "local-motion",
          prompt: `Chaos run, clip ${n}`,
          durationSeconds: 1 + (n % 3),
          aspectRatio: n % 2 === 0 ? "16:9" : "9:16",
          ...(n % 2 === 1 && { voiceover: { script: SENTENCES[n % SENTENCES.length] } }),
          metadata,
        };
      case "sleep":
        return {
          type: "image",
          model: "dev-sleep",
          prompt: `sleep ${1000 + Math.floor(Math.random() * 3000)}`,
          metadata,
        };
    }
  }

  /**
   * POSTs until an answer that is neither missing, 5xx, 429 nor a busy Idempotency-Key, with the same key each
   * time; `onAnswer` sees every answer. Returns the last answer (undefined when none came).
   */
  private async postWithRetries(
    path: string,
    body: unknown,
    idempotencyKey: string,
    signal: AbortSignal,
    onAnswer: (answer: Answer) => void = () => {},
  ): Promise<Answer | undefined> {
    const until = Date.now() + RETRY_FOR_MS;
    let last: Answer | undefined;
    for (let attempt = 0; attempt < MAX_TRIES && Date.now() < until && !signal.aborted; attempt++) {
      if (attempt > 0) await sleep(Math.min(4000, 250 * 2 ** attempt), signal);
      const answer = await this.client.request("POST", path, {
        body,
        headers: { "idempotency-key": idempotencyKey },
      });
      if (answer) {
        last = answer;
        onAnswer(answer);
      }
      const retry =
        !answer ||
        answer.status >= 500 ||
        answer.status === 429 ||
        (answer.status === 409 && errorCode(answer) === "idempotency_conflict");
      if (!retry) break;
    }
    return last;
  }

  /** Polls the job (up to about 20 s) until it is processing; false if it ended first or never started. */
  private async seenProcessing(jobId: string, signal: AbortSignal): Promise<boolean> {
    for (let i = 0; i < 60 && !signal.aborted; i++) {
      const answer = await this.client.request("GET", `/v1/jobs/${jobId}`);
      const status = (answer?.body as { status?: string } | undefined)?.status;
      if (status === "processing") return true;
      if (status && status !== "queued") return false;
      await sleep(300, signal);
    }
    return false;
  }
}

function errorCode(answer: Answer): string {
  return (answer.body as { error?: { code?: string } } | undefined)?.error?.code ?? "";
}

function pick(mix: LoadMix): JobKind {
  const kinds = Object.keys(mix) as JobKind[];
  const total = kinds.reduce((sum, k) => sum + mix[k], 0);
  let roll = Math.random() * total;
  for (const kind of kinds) {
    roll -= mix[kind];
    if (roll < 0) return kind;
  }
  return kinds[kinds.length - 1]!;
}

/** Waits `ms` (the load's schedule), or less if the run is stopped. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
