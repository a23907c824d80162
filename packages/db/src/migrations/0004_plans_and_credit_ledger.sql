-- Plans and credits. The ledger is append-only; accounts.balance is kept in step with it in the same statement
-- or transaction as every entry, so balance = sum(amount) of the account's entries always holds.
--   grant       +n  a plan's grant (once at sign-up, or monthly), or the bootstrap account's
--   hold        -n  taken with the job row when a job is accepted
--   capture      0  the job completed: what it held is spent
--   release     +n  the job failed or was canceled: what it held comes back
--   refund      +n  credits returned for a completed job
--   adjustment  ±n  an operator's correction
alter table accounts
  add column plan text not null default 'free' check (plan in ('free', 'starter', 'pro', 'enterprise')),
  add column balance bigint not null default 0 check (balance >= 0),
  -- Enterprise terms; null means the plan's.
  add column monthly_grant integer check (monthly_grant >= 0),
  add column limits jsonb;

create table credit_ledger (
  id text primary key,
  account_id text not null references accounts (id),
  kind text not null check (kind in ('grant', 'hold', 'capture', 'release', 'refund', 'adjustment')),
  amount bigint not null,
  job_id text references jobs (id),
  reason text,
  -- For grants: the period granted ('2026-11', 'signup', 'bootstrap'); one grant per account and period.
  period text,
  created_at timestamptz not null default now(),
  check ((kind in ('hold', 'capture', 'release')) = (job_id is not null)),
  check (kind <> 'grant' or period is not null),
  check (case kind when 'hold' then amount < 0 when 'capture' then amount = 0
    when 'release' then amount > 0 when 'grant' then amount >= 0 when 'refund' then amount > 0 else true end)
);

-- A job holds once and settles once (capture or release, never both, never twice).
create unique index credit_ledger_job_hold on credit_ledger (job_id) where kind = 'hold';
create unique index credit_ledger_job_settle on credit_ledger (job_id) where kind in ('capture', 'release');
create unique index credit_ledger_grant_period on credit_ledger (account_id, period) where kind = 'grant';
create index credit_ledger_account on credit_ledger (account_id, id desc);

create function mme_credit_ledger_append_only() returns trigger
language plpgsql as $$
begin
  raise exception 'credit_ledger is append-only';
end
$$;

create trigger credit_ledger_append_only
  before update or delete on credit_ledger
  for each statement execute function mme_credit_ledger_append_only();
