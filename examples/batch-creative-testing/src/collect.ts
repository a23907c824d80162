import type { Batch, Job, WebhookEvent } from "@mcpmediaengine/sdk";

/**
 * Gathers one batch's events as they arrive: each job's final event and the batch's `batch.completed`. Events come
 * at least once and in no promised order (the batch's event may overtake its last job's), so it keys on ids and
 * resolves only once it holds the batch and every one of its jobs.
 */
export class BatchCollector {
  private readonly jobs = new Map<string, Job>();
  private readonly batches = new Map<string, Batch>();
  private readonly waiters: (() => void)[] = [];
  private expected: { batchId: string; jobIds: readonly string[] } | undefined;

  /** Events can arrive before the batch's answer does, so they are kept whatever their batch until it is known. */
  expect(batchId: string, jobIds: readonly string[]): void {
    this.expected = { batchId, jobIds };
    this.check();
  }

  take(event: WebhookEvent): void {
    if (event.type === "batch.completed") this.batches.set(event.data.batch.batchId, event.data.batch);
    else if (event.type !== "job.processing") this.jobs.set(event.data.job.jobId, event.data.job);
    this.check();
  }

  /** The batch and its jobs in item order, once all have been received; rejects after `timeoutMs`. */
  async done(timeoutMs: number): Promise<{ batch: Batch; jobs: Job[] }> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        this.check();
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(
                `Only ${this.jobs.size} of ${this.expected?.jobIds.length ?? "?"} job events${this.batch() ? "" : " and no batch.completed"} arrived within ${timeoutMs / 1000} s.`,
              ),
            ),
          timeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    return { batch: this.batch()!, jobs: this.expected!.jobIds.map((id) => this.jobs.get(id)!) };
  }

  private batch(): Batch | undefined {
    return this.expected && this.batches.get(this.expected.batchId);
  }

  private check(): void {
    const complete = this.batch() !== undefined && this.expected!.jobIds.every((id) => this.jobs.has(id));
    if (complete) for (const resolve of this.waiters.splice(0)) resolve();
  }
}
