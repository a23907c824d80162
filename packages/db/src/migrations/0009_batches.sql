-- Batches. A batch and all its jobs, holds and queue entries are written in one transaction. Each job that ends
-- takes one from `remaining` in the transaction that ends it (the row lock orders them), so exactly one
-- transaction sees it reach zero: that one ends the batch and records batch.completed. Counts by status are
-- read from the jobs themselves, so there is no second copy to drift.
create table batches (
  id text primary key,
  account_id text not null references accounts (id),
  status text not null default 'processing' check (status in ('processing', 'completed', 'canceled')),
  job_count integer not null check (job_count > 0),
  remaining integer not null check (remaining >= 0),
  cost_credits integer not null,
  webhook_url text,
  metadata jsonb not null default '{}',
  cancel_requested_at timestamptz,
  created_at timestamptz not null default now(),
  completed_at timestamptz
);
create index batches_account on batches (account_id, id desc);

-- A batch's jobs keep their item order (batch_index) and the caller's customId. batch_id has no foreign key:
-- a batch's jobs are only ever written by the statement that writes the batch, and a per-row check of 500 rows
-- was a tenth of accepting a batch.
alter table jobs
  add column batch_id text,
  add column batch_index integer,
  add column custom_id text;
create index jobs_batch on jobs (batch_id, batch_index) where batch_id is not null;

-- A batch holds its whole cost in one ledger entry that names the batch; each of its jobs then settles on its
-- own (capture, or release of its own cost), as a job submitted alone does. So balance = sum(ledger) holds as
-- before, and accepting 500 jobs writes one hold, not 500.
alter table credit_ledger
  add column batch_id text references batches (id),
  drop constraint credit_ledger_check,
  add constraint credit_ledger_owner check (case
    when kind = 'hold' then num_nonnulls(job_id, batch_id) = 1
    when kind in ('capture', 'release') then job_id is not null and batch_id is null
    else job_id is null and batch_id is null end);
create unique index credit_ledger_batch_hold on credit_ledger (batch_id) where kind = 'hold';

-- A POST /v1/batch with an Idempotency-Key claims it in the batch's transaction, as jobs do.
alter table idempotency_keys add column batch_id text;

-- Batch events name their batch.
alter table webhook_events add column batch_id text;
