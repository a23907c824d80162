-- Webhooks. An event and its deliveries are written in the transaction that changes the job (an outbox), with
-- the graphile-worker job that carries each delivery out, so no event is lost between the two. Signing secrets
-- are kept as they are: an HMAC needs them.

-- The account's default secret signs deliveries to jobs' own webhookUrl; made on first use. During a rotation
-- the replaced secret also signs until webhook_previous_secret_expires_at.
alter table accounts
  add column webhook_secret text,
  add column webhook_previous_secret text,
  add column webhook_previous_secret_expires_at timestamptz;

-- Which of its events a job's webhookUrl receives; null for the default (its end).
alter table jobs add column webhook_events text[];

create table webhook_endpoints (
  id text primary key,
  account_id text not null references accounts (id),
  url text not null,
  events text[],
  description text not null default '',
  secret text not null,
  previous_secret text,
  previous_secret_expires_at timestamptz,
  disabled_at timestamptz,
  disabled_reason text,
  -- Since when every attempt has failed; an endpoint failing for long enough is disabled.
  failing_since timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index webhook_endpoints_account on webhook_endpoints (account_id, id desc);

-- The body is kept exactly as first sent: every attempt sends the same bytes under the same webhook-id.
create table webhook_events (
  id text primary key,
  account_id text not null references accounts (id),
  type text not null,
  job_id text,
  body text not null,
  created_at timestamptz not null default now()
);

create table webhook_deliveries (
  id text primary key,
  event_id text not null references webhook_events (id),
  account_id text not null references accounts (id),
  endpoint_id text references webhook_endpoints (id) on delete set null,
  job_id text,
  url text not null,
  status text not null default 'pending' check (status in ('pending', 'succeeded', 'failed')),
  attempt_count integer not null default 0,
  -- attempt_count when the delivery was last (re)queued: the retry schedule counts from there.
  round_start integer not null default 0,
  next_attempt_at timestamptz default now(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index webhook_deliveries_account on webhook_deliveries (account_id, id desc);
create index webhook_deliveries_job on webhook_deliveries (job_id);
create index webhook_deliveries_endpoint on webhook_deliveries (endpoint_id, status, created_at);

create table webhook_attempts (
  delivery_id text not null references webhook_deliveries (id),
  attempt integer not null,
  attempted_at timestamptz not null,
  status_code integer,
  latency_ms integer not null,
  error text,
  response_body text,
  primary key (delivery_id, attempt)
);
