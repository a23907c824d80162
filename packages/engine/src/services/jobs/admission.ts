import { AppError } from "@mcpmediaengine/contract";
import type { Database, JobRow } from "@mcpmediaengine/db";
import type { Kysely } from "kysely";
import {
  IdempotencyKeyTaken,
  insertHeldJob,
  insertHeldJobs,
  type NewHeldJob,
} from "../../repositories/job-transitions";
import { GroupCommit } from "../../util/group-commit";

/** What became of a submission: written, held and queued; refused for the balance; or its key already used. */
export type Admission =
  | { kind: "accepted"; row: JobRow }
  | { kind: "insufficient_credits" }
  | { kind: "idempotency_key_taken" };

/**
 * Accepting a job locks its account's balance row until the commit, so one account's submissions are accepted
 * one commit at a time. To keep a busy account fast, its submissions are group-committed (one lane per account).
 * In a group each job is judged in turn on what is left of the balance, so each submission gets the answer it
 * would have got alone, in arrival order.
 */
export class JobAdmission {
  private readonly groups: GroupCommit<NewHeldJob, Admission>;

  constructor(db: Kysely<Database>, maxGroup = 200) {
    const alone = async (job: NewHeldJob): Promise<Admission> => {
      try {
        const row = await insertHeldJob(db, job);
        return row ? { kind: "accepted", row } : { kind: "insufficient_credits" };
      } catch (error) {
        if (error instanceof IdempotencyKeyTaken) return { kind: "idempotency_key_taken" };
        throw unstorable(error) ?? error;
      }
    };
    this.groups = new GroupCommit(async (accountId, jobs) => {
      if (jobs.length === 1) return [await alone(jobs[0]!)];
      // If the group's statement fails (a key of the group was claimed meanwhile by another kind of request, or
      // the database refused one job's values), GroupCommit takes the jobs again one at a time: each gets the
      // answer it would have got alone, and only a job the database refuses fails.
      const written = await insertHeldJobs(db, accountId, jobs);
      const rows = new Map(written.rows.map((r) => [r.id, r]));
      return jobs.map((job): Admission => {
        const row = rows.get(job.id);
        if (row) return { kind: "accepted", row };
        return written.duplicates.has(job.id)
          ? { kind: "idempotency_key_taken" }
          : { kind: "insufficient_credits" };
      });
    }, maxGroup);
  }

  admit(job: NewHeldJob): Promise<Admission> {
    return this.groups.submit(job.accountId, job);
  }
}

// Postgres's refusals of a value's text: NUL in text (22021) or in jsonb (22P05), an unpaired surrogate in jsonb
// (22P02). The contract refuses both first; should a value slip past it, its caller still gets a 400, not a 500.
const UNSTORABLE_TEXT = new Set(["22021", "22P05", "22P02"]);

function unstorable(error: unknown): AppError | undefined {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== "string" || !UNSTORABLE_TEXT.has(code)) return undefined;
  return new AppError(
    "invalid_request",
    "The request holds text that cannot be stored: a NUL character (\\u0000) or an unpaired UTF-16 surrogate.",
  );
}
