-- Live job events, job logs, deadlines and priority (issue 20).

-- priority: a low job waits while any normal job of any account is waiting (its queue entry ranks behind every
-- normal one). cancel_at: the caller's deadline (cancelAfter); a job not ended by then is canceled and its credits
-- released. event_seq: the job's last event number; every change of status or progress takes the next.
alter table jobs
  add column priority text not null default 'normal' check (priority in ('normal', 'low')),
  add column cancel_at timestamptz,
  add column event_seq integer not null default 0;

create index jobs_cancel_at on jobs (cancel_at)
  where cancel_at is not null and status in ('queued', 'processing');

-- One row per change of a job's status or progress, numbered per job (seq). The job's row lock orders its changes,
-- so seq order is commit order: a job's stream resumes exactly after the seq it last sent. id is one order for all
-- jobs (a batch's stream); it is not commit order across jobs, so each row keeps its transaction (xid) and the
-- snapshot it was written in: a batch stream resumed after event L replays the events after L and the earlier
-- ones whose transactions L's snapshot did not see committed (they may have committed after L).
create table job_events (
  id bigserial primary key,
  job_id text not null references jobs (id) on delete cascade,
  seq integer not null,
  account_id text not null,
  batch_id text,
  kind text not null check (kind in ('status', 'progress')),
  status text not null,
  progress real not null,
  attempts integer not null,
  at timestamptz not null default clock_timestamp(),
  xid xid8 not null default pg_current_xact_id(),
  snapshot pg_snapshot not null default pg_current_snapshot(),
  unique (job_id, seq)
);
create index job_events_batch on job_events (batch_id, id) where batch_id is not null;
-- The cleanup task drops the progress steps of jobs ended an hour ago (their status changes stay with the job).
create index job_events_progress_at on job_events (at) where kind = 'progress';

-- What happened to a job, in order: acceptance, every status change, attempts and their ends, provider requests,
-- retries with their reasons and waits, fallbacks, errors. Kept as long as the job.
create table job_logs (
  id bigserial primary key,
  job_id text not null references jobs (id) on delete cascade,
  at timestamptz not null default clock_timestamp(),
  kind text not null,
  attempt integer,
  message text not null,
  details jsonb not null default '{}'
);
create index job_logs_job on job_logs (job_id, id);

create function mme_job_event_seq() returns trigger
language plpgsql as $$
begin
  if new.status is distinct from old.status or new.progress is distinct from old.progress then
    new.event_seq := old.event_seq + 1;
  end if;
  return new;
end
$$;

create trigger jobs_event_seq before update on jobs
  for each row execute function mme_job_event_seq();

-- Set-based, so a batch's 500 jobs written in one statement cost one pass, not 500 calls.
create function mme_job_events_after_update() returns trigger
language plpgsql as $$
declare
  notified bigint;
begin
  with changed as (
    select n.*, o.status as old_status from new_rows n join old_rows o using (id)
    where n.event_seq <> o.event_seq
  ), written as (
    insert into job_events (job_id, seq, account_id, batch_id, kind, status, progress, attempts)
    select id, event_seq, account_id, batch_id,
      case when status is distinct from old_status then 'status' else 'progress' end, status, progress, attempts
    from changed
    returning *
  ), logged as (
    insert into job_logs (job_id, kind, attempt, message, details)
    select id, 'status', attempts, old_status || ' -> ' || status || coalesce(': ' || error_code, ''),
      jsonb_strip_nulls(jsonb_build_object('from', old_status, 'to', status, 'errorCode', error_code,
        'errorMessage', error_message))
    from changed where status is distinct from old_status
  )
  select count(pg_notify('mme_job_events', json_build_object(
    'j', job_id, 'a', account_id, 'b', batch_id, 's', seq, 'i', id, 'k', kind, 'st', status, 'p', progress,
    'n', attempts)::text))
  into notified from written;
  return null;
end
$$;

create trigger jobs_events_after_update after update on jobs
  referencing old table as old_rows new table as new_rows
  for each statement execute function mme_job_events_after_update();

-- A new job is no event of its own (a stream starts from the job's state), but live views of its account learn
-- of it: one notification per account and statement, however many jobs the statement wrote.
create function mme_job_events_after_insert() returns trigger
language plpgsql as $$
declare
  notified bigint;
begin
  insert into job_logs (job_id, kind, attempt, message, details)
  select id, 'accepted', 0, 'accepted: ' || model || ' (' || priority || ' priority)',
    jsonb_strip_nulls(jsonb_build_object('model', model, 'credits', cost_credits, 'priority', priority,
      'cancelAt', cancel_at, 'maxAttempts', max_attempts, 'batchId', batch_id))
  from new_rows;
  select count(pg_notify('mme_job_events', json_build_object('a', account_id, 'k', 'created')::text))
  into notified from (select distinct account_id from new_rows) accounts;
  return null;
end
$$;

create trigger jobs_events_after_insert after insert on jobs
  referencing new table as new_rows
  for each statement execute function mme_job_events_after_insert();
