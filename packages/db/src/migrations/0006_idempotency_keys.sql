-- Idempotency-Key: the first response to a key is kept for 24 hours and replayed to every retry with the same
-- body. response_status is null while the first request is still running.
create table idempotency_keys (
  account_id text not null references accounts (id),
  key text not null,
  request_hash text not null,
  response_status integer,
  response_body text,
  created_at timestamptz not null default now(),
  primary key (account_id, key)
);

create index idempotency_keys_created on idempotency_keys (created_at);
