import type { Database, JobRow } from "@mcpmediaengine/db";
import type { Kysely } from "kysely";
import { insertHeldJob, insertHeldJobs, type NewHeldJob } from "../../repositories/job-transitions";

interface Waiting {
  job: NewHeldJob;
  resolve(row: JobRow | undefined): void;
  reject(error: unknown): void;
}

/**
 * Accepting a job locks its account's balance row until the commit, so one account's submissions are accepted
 * one commit at a time. To keep a busy account fast, submissions of one account that arrive while an earlier one
 * is being written wait, and go in together in the next statement (a group commit): a lone submission is written
 * at once with no added wait. In a group each job is judged in turn on what is left of the balance, so each
 * submission gets the answer it would have got alone, in arrival order.
 */
export class JobAdmission {
  private readonly queues = new Map<string, Waiting[]>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly maxGroup = 200,
  ) {}

  /** The job's row once written, held and queued; undefined when the balance does not cover its cost. */
  admit(job: NewHeldJob): Promise<JobRow | undefined> {
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(job.accountId);
      if (queue) {
        queue.push({ job, resolve, reject });
        return;
      }
      this.queues.set(job.accountId, [{ job, resolve, reject }]);
      void this.drain(job.accountId);
    });
  }

  private async drain(accountId: string): Promise<void> {
    const queue = this.queues.get(accountId)!;
    while (queue.length > 0) {
      const group = queue.splice(0, this.maxGroup);
      try {
        if (group.length === 1) {
          const only = group[0]!;
          only.resolve(await insertHeldJob(this.db, only.job));
          continue;
        }
        const rows = await insertHeldJobs(
          this.db,
          accountId,
          group.map((w) => w.job),
        );
        const written = new Map(rows.map((r) => [r.id, r]));
        for (const waiting of group) waiting.resolve(written.get(waiting.job.id));
      } catch (error) {
        for (const waiting of group) waiting.reject(error);
      }
    }
    this.queues.delete(accountId);
  }
}
