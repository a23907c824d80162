import { newId } from "@mcpmediaengine/contract";
import type { Database, JobRow, NewJobRow } from "@mcpmediaengine/db";
import { type Kysely, type RawBuilder, sql } from "kysely";

// A transaction is a Kysely too, so every function here runs inside one or alone.
type Db = Kysely<Database>;

/**
 * The statements that move a job between states, each with the credits it moves. Each is one statement, so the
 * job's status, its ledger entry and the account's balance change together or not at all, and
 * `balance = sum(ledger)` holds at every commit. The unique indexes on credit_ledger make a second hold or
 * settlement of one job impossible even if code tried.
 */

/**
 * Accepts a job: takes its cost from the balance (only if the balance covers it), writes the job and its hold,
 * and queues it, in one statement. Undefined when the balance does not cover the cost: then nothing is written.
 * The row lock the balance update takes orders concurrent submissions of one account, and each re-checks the
 * balance it finds, so exactly the affordable ones get in.
 */
export async function insertHeldJob(
  db: Db,
  row: NewJobRow,
  enqueue: RawBuilder<unknown>,
): Promise<JobRow | undefined> {
  const result = await sql<JobRow & { queued: string }>`
    with debit as (
      update accounts set balance = balance - ${row.cost_credits}
      where id = ${row.account_id} and balance >= ${row.cost_credits}
      returning id
    ), inserted as (
      insert into jobs (id, account_id, type, model, input, metadata, webhook_url, cost_credits, max_attempts,
        created_at, updated_at)
      select ${row.id}, debit.id, ${row.type}, ${row.model}, ${row.input}::jsonb, ${row.metadata}::jsonb,
        ${row.webhook_url ?? null}, ${row.cost_credits}, ${row.max_attempts}, ${row.created_at}, ${row.updated_at}
      from debit
      returning *
    ), hold as (
      insert into credit_ledger (id, account_id, kind, amount, job_id)
      select ${newId("ledgerEntry")}, account_id, 'hold', -cost_credits, id from inserted where cost_credits > 0
    )
    select inserted.*, (${enqueue}).id::text as queued from inserted`.execute(db);
  const first = result.rows[0];
  if (!first) return undefined;
  const { queued: _, ...job } = first;
  return job;
}

/** processing → completed, capturing what the job held; undefined when it was canceled while it ran. */
export async function completeJob(db: Db, jobId: string): Promise<JobRow | undefined> {
  const result = await sql<JobRow>`
    with done as (
      update jobs set status = 'completed', completed_at = now(), updated_at = now()
      where id = ${jobId} and status = 'processing'
      returning *
    ), capture as (
      insert into credit_ledger (id, account_id, kind, amount, job_id)
      select ${newId("ledgerEntry")}, account_id, 'capture', 0, id from done where cost_credits > 0
    )
    select * from done`.execute(db);
  return result.rows[0];
}

/** queued or processing → failed, releasing what the job held back to the balance. */
export async function failJob(
  db: Db,
  jobId: string,
  error: { code: string; message: string },
): Promise<JobRow | undefined> {
  return endAndRelease(
    db,
    sql`update jobs set status = 'failed', error_code = ${error.code}, error_message = ${error.message.slice(0, 1000)},
        completed_at = now(), updated_at = now()
      where id = ${jobId} and status in ('queued', 'processing')
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
