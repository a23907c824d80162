import { newId } from "@mcpmediaengine/contract";
import type { BatchRow, BatchStatusColumn, Database, JobRow, JobStatusColumn } from "@mcpmediaengine/db";
import { type Kysely, sql } from "kysely";
import type { TraceCarrier } from "../observe/trace";
import { addGenerateJobsFrom, batchJobPriority } from "../queue/enqueue";
import { keyTaken } from "./job-transitions";

type Db = Kysely<Database>;

/** One job of a batch to accept: the row's values. */
export interface NewBatchJob {
  id: string;
  type: string;
  model: string;
  input: object;
  metadata: object;
  webhookUrl: string | null;
  webhookEvents: string[] | null;
  customId: string | null;
  cost: number;
  /** Default low for a batch's jobs (see batches/submit). */
  priority: "normal" | "low";
  /** cancelAfter in seconds from the batch's createdAt, if any. */
  cancelAfterSeconds?: number;
}

export interface NewBatch {
  id: string;
  accountId: string;
  webhookUrl: string | null;
  metadata: object;
  maxAttempts: number;
  createdAt: Date;
  jobs: NewBatchJob[];
  idempotency?: { key: string; requestHash: string };
  /** The submission's trace context, stored with every job's queue entry. */
  trace?: TraceCarrier;
}

/**
 * Accepts a whole batch in one statement, or nothing: the total cost is taken from the balance only if the balance
 * covers it, and only then are the batch, its jobs (one multi-row insert), one hold of the total naming the batch
 * and the queue entries (one `add_jobs` call) written, with the Idempotency-Key when there is one. Undefined when
 * the balance does not cover the total; IdempotencyKeyTaken when the key is already used.
 */
export async function insertHeldBatch(db: Db, batch: NewBatch): Promise<BatchRow | undefined> {
  const total = batch.jobs.reduce((sum, job) => sum + job.cost, 0);
  const key = batch.idempotency?.key ?? null;
  const result = await sql<BatchRow & { queued: string }>`
    with debit as (
      update accounts set balance = balance - ${total}
      where id = ${batch.accountId} and balance >= ${total}
      returning id
    ), created as (
      insert into batches (id, account_id, job_count, remaining, cost_credits, webhook_url, metadata, created_at)
      select ${batch.id}, debit.id, ${batch.jobs.length}, ${batch.jobs.length}, ${total}, ${batch.webhookUrl},
        ${JSON.stringify(batch.metadata)}::jsonb, ${batch.createdAt}
      from debit
      returning *
    ), items as (
      select t.*, ${batch.maxAttempts}::int as max_attempts, ${batch.trace?.traceparent ?? null}::text as traceparent,
        ${batch.trace?.tracestate ?? null}::text as tracestate
      from jsonb_to_recordset(${JSON.stringify(
        batch.jobs.map((j, i) => ({
          id: j.id,
          cost: j.cost,
          type: j.type,
          model: j.model,
          input: j.input,
          metadata: j.metadata,
          webhook_url: j.webhookUrl,
          webhook_events: j.webhookEvents,
          custom_id: j.customId,
          batch_index: i,
          priority: batchJobPriority(i, j.priority),
          job_priority: j.priority,
          cancel_at:
            j.cancelAfterSeconds === undefined
              ? null
              : new Date(batch.createdAt.getTime() + j.cancelAfterSeconds * 1000).toISOString(),
        })),
      )}::jsonb) as t(id text, cost int, type text, model text, input jsonb, metadata jsonb, webhook_url text,
        webhook_events text[], custom_id text, batch_index int, priority int, job_priority text, cancel_at timestamptz)
      where exists (select 1 from created)
    ), jobs_written as (
      insert into jobs (id, account_id, type, model, input, metadata, webhook_url, webhook_events, cost_credits,
        max_attempts, created_at, updated_at, batch_id, batch_index, custom_id, priority, cancel_at)
      select id, ${batch.accountId}, type, model, input, metadata, webhook_url, webhook_events, cost,
        max_attempts, ${batch.createdAt}, ${batch.createdAt}, ${batch.id}, batch_index, custom_id, job_priority,
        cancel_at
      from items order by batch_index
    ), hold as (
      insert into credit_ledger (id, account_id, kind, amount, batch_id)
      select ${newId("ledgerEntry")}, account_id, 'hold', -cost_credits, id from created where cost_credits > 0
    ), claimed as (
      insert into idempotency_keys (account_id, key, request_hash, response_status, batch_id)
      select ${batch.accountId}, ${key}, ${batch.idempotency?.requestHash ?? null}, 202, id from created
      where ${key}::text is not null
    ), queued as (${addGenerateJobsFrom("items")})
    select created.*, (select queued from queued)::text as queued from created`
    .execute(db)
    .catch(keyTaken);
  const first = result.rows[0];
  if (!first) return undefined;
  const { queued: _, ...row } = first;
  return row;
}

export async function findBatch(db: Db, accountId: string, batchId: string): Promise<BatchRow | undefined> {
  return db
    .selectFrom("batches")
    .selectAll()
    .where("id", "=", batchId)
    .where("account_id", "=", accountId)
    .executeTakeFirst();
}

export async function listBatches(
  db: Db,
  f: { accountId: string; status?: BatchStatusColumn; beforeId?: string; limit: number },
): Promise<BatchRow[]> {
  let q = db.selectFrom("batches").selectAll().where("account_id", "=", f.accountId);
  if (f.status) q = q.where("status", "=", f.status);
  if (f.beforeId) q = q.where("id", "<", f.beforeId);
  return q.orderBy("id", "desc").limit(f.limit).execute();
}

/** The ids of a batch's jobs in item order. */
export async function batchJobIds(db: Db, batchId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("jobs")
    .select("id")
    .where("batch_id", "=", batchId)
    .orderBy("batch_index")
    .execute();
  return rows.map((r) => r.id);
}

export async function listBatchJobs(
  db: Db,
  f: { batchId: string; status?: JobStatusColumn; afterIndex?: number; limit: number },
): Promise<JobRow[]> {
  let q = db.selectFrom("jobs").selectAll().where("batch_id", "=", f.batchId);
  if (f.status) q = q.where("status", "=", f.status);
  if (f.afterIndex !== undefined) q = q.where("batch_index", ">", f.afterIndex);
  return q.orderBy("batch_index").limit(f.limit).execute();
}

export interface BatchTally {
  queued: number;
  processing: number;
  completed: number;
  failed: number;
  canceled: number;
  held: number;
  spent: number;
}

/** Each batch's jobs counted by status, with the credits still held and those spent. */
export async function tallyBatches(db: Db, batchIds: string[]): Promise<Map<string, BatchTally>> {
  if (batchIds.length === 0) return new Map();
  const rows = await sql<{ batch_id: string } & Record<keyof BatchTally, string>>`
    select batch_id,
      count(*) filter (where status = 'queued') as queued,
      count(*) filter (where status = 'processing') as processing,
      count(*) filter (where status = 'completed') as completed,
      count(*) filter (where status = 'failed') as failed,
      count(*) filter (where status = 'canceled') as canceled,
      coalesce(sum(cost_credits) filter (where status in ('queued', 'processing')), 0) as held,
      coalesce(sum(cost_credits) filter (where status = 'completed'), 0) as spent
    from jobs where batch_id = any(${batchIds}::text[])
    group by batch_id`.execute(db);
  return new Map(
    rows.rows.map((r) => [
      r.batch_id,
      {
        queued: Number(r.queued),
        processing: Number(r.processing),
        completed: Number(r.completed),
        failed: Number(r.failed),
        canceled: Number(r.canceled),
        held: Number(r.held),
        spent: Number(r.spent),
      },
    ]),
  );
}

/**
 * Counts `ended` more of the batch's jobs as ended, in the transaction that ended them. The row lock orders
 * concurrent ends, so exactly one transaction takes `remaining` to zero; it gets the ended batch back (and records
 * batch.completed), every other gets undefined.
 */
export async function countEndedJobs(db: Db, batchId: string, ended: number): Promise<BatchRow | undefined> {
  const result = await sql<BatchRow>`
    update batches set
      remaining = remaining - ${ended},
      status = case when remaining - ${ended} > 0 then status
        when cancel_requested_at is null then 'completed' else 'canceled' end,
      completed_at = case when remaining - ${ended} > 0 then null else now() end
    where id = ${batchId}
    returning *`.execute(db);
  const row = result.rows[0];
  return row && row.remaining === 0 ? row : undefined;
}

/**
 * Marks the batch canceled by its owner; undefined when it has already ended (or is not the caller's). Call it in
 * the cancel's transaction, first: a job's end locks the job, then the account (to release), then the batch, so
 * the cancel takes the account before the batch and the two never wait on each other in a circle.
 */
export async function requestBatchCancel(
  db: Db,
  accountId: string,
  batchId: string,
): Promise<BatchRow | undefined> {
  await sql`select 1 from accounts where id = ${accountId} for update`.execute(db);
  return db
    .updateTable("batches")
    .set({ cancel_requested_at: sql`coalesce(cancel_requested_at, now())` })
    .where("id", "=", batchId)
    .where("account_id", "=", accountId)
    .where("status", "=", "processing")
    .returningAll()
    .executeTakeFirst();
}

/**
 * Cancels every queued job of the batch, releasing what each held and removing its queue entry; jobs already
 * processing run to their end. Call it in a transaction: the queued jobs are locked first, so a worker that takes
 * one meanwhile either got it before (and it is left to run) or finds it canceled.
 */
export async function cancelQueuedBatchJobs(db: Db, accountId: string, batchId: string): Promise<JobRow[]> {
  const queued = await sql<{ id: string }>`
    select id from jobs where batch_id = ${batchId} and account_id = ${accountId} and status = 'queued'
    order by batch_index for update`.execute(db);
  const ids = queued.rows.map((r) => r.id);
  if (ids.length === 0) return [];
  const result = await sql<JobRow>`
    with items as (
      select * from unnest(${ids}::text[], ${ids.map(() => newId("ledgerEntry"))}::text[]) as t(id, ledger_id)
    ), done as (
      update jobs set status = 'canceled', completed_at = now(), updated_at = now()
      from items where jobs.id = items.id and jobs.status = 'queued'
      returning jobs.*, items.ledger_id
    ), released as (
      insert into credit_ledger (id, account_id, kind, amount, job_id)
      select ledger_id, account_id, 'release', cost_credits, id from done where cost_credits > 0
      returning amount
    ), credited as (
      update accounts set balance = balance + (select coalesce(sum(amount), 0) from released)
      where id = ${accountId}
    ), dequeued as (
      select graphile_worker.remove_job(id) from done
    )
    select done.* from done where (select count(*) from dequeued) >= 0
    order by batch_index`.execute(db);
  return result.rows.map(({ ledger_id: _, ...row }: JobRow & { ledger_id?: string }) => row);
}
