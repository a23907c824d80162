create table jobs (
  id text primary key,
  account_id text not null references accounts (id),
  type text not null check (type in ('image', 'video', 'audio')),
  model text not null,
  status text not null default 'queued'
    check (status in ('queued', 'processing', 'completed', 'failed', 'canceled')),
  input jsonb not null,
  metadata jsonb not null default '{}',
  webhook_url text,
  cost_credits integer not null check (cost_credits >= 0),
  attempts integer not null default 0,
  max_attempts integer not null,
  error_code text,
  error_message text,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  completed_at timestamptz,
  updated_at timestamptz not null default now()
);

-- The job list is always one account's, newest first. Job ids begin with their creation time, so the list is
-- ordered and paged by id alone.
create index jobs_account_id on jobs (account_id, id desc);
create index jobs_account_status_id on jobs (account_id, status, id desc);

create table assets (
  id text primary key,
  job_id text not null references jobs (id),
  account_id text not null references accounts (id),
  position integer not null,
  sha256 text not null,
  mime_type text not null,
  extension text not null,
  bytes bigint not null,
  width integer,
  height integer,
  duration_ms integer,
  created_at timestamptz not null default now(),
  unique (job_id, position)
);

-- Each worker process beats here; jobs locked by a worker that stopped beating are released (kill -9 recovery).
create table worker_heartbeats (
  worker_id text primary key,
  process_label text not null,
  last_seen_at timestamptz not null default now()
);
