import { newId } from "@mcpmediaengine/contract";
import type { Database, JobRow } from "@mcpmediaengine/db";
import { type Kysely, type RawBuilder, sql } from "kysely";
import type { TraceCarrier } from "../observe/trace";
import { addGenerateJob, addGenerateJobsFrom, queuePriority } from "../queue/enqueue";
import { IDEMPOTENCY_TTL } from "./idempotency-keys";
import type { JobRun } from "./jobs";

// A transaction is a Kysely too, so every function here runs inside one or alone.
type Db = Kysely<Database>;

/**
 * The statements that move a job between states, each with the credits it moves. Each is one statement, so the
 * job's status, its ledger entry and the account's balance change together or not at all, and
 * `balance = sum(ledger)` holds at every commit. The unique indexes on credit_ledger make a second hold or
 * settlement of one job impossible even if code tried.
 */

/** A job to accept: the row's values, with input and metadata as JSON text. */
export interface NewHeldJob {
  id: string;
  accountId: string;
  type: string;
  model: string;
  input: string;
  metadata: string;
  webhookUrl: string | null;
  /** The events the webhookUrl receives; null for the default. */
  webhookEvents: string[] | null;
  cost: number;
  maxAttempts: number;
  createdAt: Date;
  /** The Idempotency-Key the job was submitted with, claimed for it in the statement that writes it. */
  idempotency?: { key: string; requestHash: string };
  /** The submission's trace context, stored with the job's queue entry. */
  trace?: TraceCarrier;
  /** low: queued behind every normal job. Default normal. */
  priority?: "normal" | "low";
  /** cancelAfter: seconds from createdAt after which a job not ended is canceled. */
  cancelAfterSeconds?: number;
}

/** The deadline a job's cancelAfter sets, or null. */
function cancelAt(job: NewHeldJob): Date | null {
  return job.cancelAfterSeconds === undefined
    ? null
    : new Date(job.createdAt.getTime() + job.cancelAfterSeconds * 1000);
}

/**
 * The job's Idempotency-Key already belongs to another request of the account (a retry, or a concurrent duplicate):
 * nothing was written.
 */
export class IdempotencyKeyTaken extends Error {
  constructor() {
    super("idempotency key taken");
  }
}

/** Postgres's unique_violation on the idempotency keys' primary key, as IdempotencyKeyTaken. */
export function keyTaken(error: unknown): never {
  const pg = error as { code?: string; constraint?: string };
  if (pg.code === "23505" && pg.constraint === "idempotency_keys_pkey") throw new IdempotencyKeyTaken();
  throw error;
}

/**
 * Accepts a job: takes its cost from the balance (only if the balance covers it), writes the job and its hold,
 * and queues it, in one statement. Undefined when the balance does not cover the cost: then nothing is written.
 * The row lock the balance update takes orders concurrent submissions of one account, and each re-checks the
 * balance it finds, so exactly the affordable ones get in. A job with an Idempotency-Key claims it in the same
 * statement; if the key is taken the statement fails as a whole and IdempotencyKeyTaken is thrown.
 */
export async function insertHeldJob(db: Db, job: NewHeldJob): Promise<JobRow | undefined> {
  const key = job.idempotency?.key ?? null;
  const result = await sql<JobRow & { queued: string }>`
    with debit as (
      update accounts set balance = balance - ${job.cost}
      where id = ${job.accountId} and balance >= ${job.cost}
      returning id
    ), inserted as (
      insert into jobs (id, account_id, type, model, input, metadata, webhook_url, webhook_events, cost_credits,
        max_attempts, created_at, updated_at, priority, cancel_at)
      select ${job.id}, debit.id, ${job.type}, ${job.model}, ${job.input}::jsonb, ${job.metadata}::jsonb,
        ${job.webhookUrl}, ${job.webhookEvents}::text[], ${job.cost}, ${job.maxAttempts}, ${job.createdAt},
        ${job.createdAt}, ${job.priority ?? "normal"}, ${cancelAt(job)}::timestamptz
      from debit
      returning *
    ), hold as (
      insert into credit_ledger (id, account_id, kind, amount, job_id)
      select ${newId("ledgerEntry")}, account_id, 'hold', -cost_credits, id from inserted where cost_credits > 0
    ), claimed as (
      insert into idempotency_keys (account_id, key, request_hash, response_status, job_id)
      select account_id, ${key}, ${job.idempotency?.requestHash ?? null}, 202, id from inserted
      where ${key}::text is not null
    )
    select inserted.*, (${addGenerateJob({ jobId: job.id, ...job.trace }, { maxAttempts: job.maxAttempts, priority: queuePriority(job.priority) })}).id::text as queued
    from inserted`
    .execute(db)
    .catch(keyTaken);
  const first = result.rows[0];
  if (!first) return undefined;
  const { queued: _, ...row } = first;
  return row;
}

/**
 * Accepts several jobs of one account in one transaction. The account row is locked first; then each job in turn
 * is accepted if what is left of the balance covers it, exactly as if they had come one after another; and the
 * accepted ones are debited, written, held and queued in one statement. A job whose Idempotency-Key is already
 * taken (before, or by an earlier job of the group) is left out and its id returned in `duplicates`. Every job
 * claim of the account holds the account's row lock, so only a key claimed meanwhile for another kind of request
 * can still collide: then the whole group fails with IdempotencyKeyTaken.
 */
export async function insertHeldJobs(
  db: Db,
  accountId: string,
  jobs: NewHeldJob[],
): Promise<{ rows: JobRow[]; duplicates: Set<string> }> {
  return db.transaction().execute(async (trx) => {
    const locked = await sql<{ balance: string }>`
      select balance from accounts where id = ${accountId} for update`.execute(trx);
    const duplicates = await takenKeys(trx, accountId, jobs);
    let left = Number(locked.rows[0]?.balance ?? 0);
    const accepted = jobs.filter((job) => {
      if (duplicates.has(job.id)) return false;
      if (job.cost > left) return false;
      left -= job.cost;
      return true;
    });
    if (accepted.length === 0) return { rows: [], duplicates };
    const column = <T>(pick: (job: NewHeldJob) => T) => accepted.map(pick);
    const total = accepted.reduce((sum, job) => sum + job.cost, 0);
    const result = await sql<JobRow>`
      with items as (
        select * from unnest(${column((j) => j.id)}::text[], ${column(() => newId("ledgerEntry"))}::text[],
          ${column((j) => j.cost)}::int[], ${column((j) => j.type)}::text[], ${column((j) => j.model)}::text[],
          ${column((j) => j.input)}::jsonb[], ${column((j) => j.metadata)}::jsonb[],
          ${column((j) => j.webhookUrl)}::text[],
          ${column((j) => (j.webhookEvents ? `{${j.webhookEvents.join(",")}}` : null))}::text[],
          ${column((j) => j.maxAttempts)}::int[],
          ${column((j) => j.createdAt.toISOString())}::timestamptz[],
          ${column((j) => j.idempotency?.key ?? null)}::text[],
          ${column((j) => j.idempotency?.requestHash ?? null)}::text[],
          ${column((j) => j.trace?.traceparent ?? null)}::text[], ${column((j) => j.trace?.tracestate ?? null)}::text[],
          ${column((j) => j.priority ?? "normal")}::text[], ${column((j) => cancelAt(j)?.toISOString() ?? null)}::timestamptz[],
          ${column((j) => queuePriority(j.priority))}::int[])
          with ordinality as t(id, ledger_id, cost, type, model, input, metadata, webhook_url, webhook_events,
            max_attempts, created_at, idempotency_key, request_hash, traceparent, tracestate, priority, cancel_at,
            queue_priority, ord)
      ), queue_items as (
        select id, max_attempts, queue_priority as priority, traceparent, tracestate from items
      ), debit as (
        update accounts set balance = balance - ${total} where id = ${accountId}
      ), inserted as (
        insert into jobs (id, account_id, type, model, input, metadata, webhook_url, webhook_events, cost_credits,
          max_attempts, created_at, updated_at, priority, cancel_at)
        select id, ${accountId}, type, model, input, metadata, webhook_url, webhook_events::text[], cost,
          max_attempts, created_at, created_at, priority, cancel_at
        from items order by ord
        returning *
      ), holds as (
        insert into credit_ledger (id, account_id, kind, amount, job_id)
        select ledger_id, ${accountId}, 'hold', -cost, id from items where cost > 0
      ), claimed as (
        insert into idempotency_keys (account_id, key, request_hash, response_status, job_id)
        select ${accountId}, idempotency_key, request_hash, 202, id from items where idempotency_key is not null
      ), queued as (${addGenerateJobsFrom("queue_items")})
      select inserted.* from inserted where (select queued from queued) >= 0`
      .execute(trx)
      .catch(keyTaken);
    return { rows: result.rows, duplicates };
  });
}

/**
 * The jobs whose Idempotency-Key is taken: by a live key in the table, or by an earlier job of the same group.
 * Keys past their 24 hours are deleted here, so their jobs may claim them again.
 */
async function takenKeys(trx: Db, accountId: string, jobs: NewHeldJob[]): Promise<Set<string>> {
  const keys = jobs.flatMap((j) => (j.idempotency ? [j.idempotency.key] : []));
  if (keys.length === 0) return new Set();
  const found = await sql<{ key: string }>`
    with expired as (
      delete from idempotency_keys
      where account_id = ${accountId} and key = any(${keys}::text[])
        and created_at < now() - ${IDEMPOTENCY_TTL}::interval
      returning key
    )
    select key from idempotency_keys
    where account_id = ${accountId} and key = any(${keys}::text[]) and key not in (select key from expired)`.execute(
    trx,
  );
  const taken = new Set(found.rows.map((r) => r.key));
  const duplicates = new Set<string>();
  for (const job of jobs) {
    if (!job.idempotency) continue;
    if (taken.has(job.idempotency.key)) duplicates.add(job.id);
    taken.add(job.idempotency.key);
  }
  return duplicates;
}

/**
 * processing → completed, capturing what the job held; undefined when the run no longer holds the job's lease
 * (canceled while it ran, or re-queued and started again elsewhere): then nothing is recorded.
 */
export async function completeJob(
  db: Db,
  run: JobRun,
  servedBy: { model: string; provider: string },
): Promise<JobRow | undefined> {
  const result = await sql<JobRow>`
    with done as (
      update jobs set status = 'completed', completed_at = now(), updated_at = now(), progress = 1,
        served_model = ${servedBy.model}, served_provider = ${servedBy.provider}, running_on = null
      where id = ${run.jobId} and status = 'processing' and lease = ${run.lease}
      returning *
    ), capture as (
      insert into credit_ledger (id, account_id, kind, amount, job_id)
      select ${newId("ledgerEntry")}, account_id, 'capture', 0, id from done where cost_credits > 0
    )
    select * from done`.execute(db);
  return result.rows[0];
}

/**
 * → failed, releasing what the job held back to the balance. With a run, only that run's processing job (the
 * fence); without one (recovery, which found nothing left to run it), any job not yet ended.
 */
export async function failJob(
  db: Db,
  target: JobRun | { jobId: string; lease?: undefined },
  error: { code: string; message: string },
): Promise<JobRow | undefined> {
  const fence =
    target.lease === undefined
      ? sql`status in ('queued', 'processing')`
      : sql`status = 'processing' and lease = ${target.lease}`;
  return endAndRelease(
    db,
    sql`update jobs set status = 'failed', error_code = ${error.code}, error_message = ${error.message.slice(0, 1000)},
        completed_at = now(), updated_at = now(), running_on = null
      where id = ${target.jobId} and ${fence}
      returning *`,
  );
}

/** The caller's queued or processing job → canceled, releasing what it held. */
export async function cancelJob(db: Db, accountId: string, jobId: string): Promise<JobRow | undefined> {
  return endAndRelease(
    db,
    sql`update jobs set status = 'canceled', completed_at = now(), updated_at = now()
      where id = ${jobId} and account_id = ${accountId} and status in ('queued', 'processing')
      returning *`,
  );
}

async function endAndRelease(db: Db, update: RawBuilder<unknown>): Promise<JobRow | undefined> {
  const result = await sql<JobRow>`
    with done as (${update}),
    released as (
      insert into credit_ledger (id, account_id, kind, amount, job_id)
      select ${newId("ledgerEntry")}, account_id, 'release', cost_credits, id from done where cost_credits > 0
      returning account_id, amount
    ), credited as (
      update accounts set balance = accounts.balance + released.amount
      from released where accounts.id = released.account_id
    )
    select * from done`.execute(db);
  return result.rows[0];
}

/** A running job's progress, 0 to 1, written only by the run holding the job's lease; an ended job keeps its own. */
export async function recordProgress(db: Db, run: JobRun, progress: number): Promise<void> {
  await db
    .updateTable("jobs")
    .set({ progress: Math.min(1, Math.max(0, progress)) })
    .where("id", "=", run.jobId)
    .where("lease", "=", run.lease)
    .where("status", "=", "processing")
    .execute();
}
