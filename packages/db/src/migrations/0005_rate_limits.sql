-- Requests per key per minute, shared by every server process. Unlogged: the counters are worth nothing after
-- a crash, and skipping the WAL keeps the per-request upsert from waiting on a disk flush.
create unlogged table rate_limit_windows (
  key_id text not null,
  window_start timestamptz not null,
  count integer not null,
  primary key (key_id, window_start)
);

-- Cached keys carry their account's plan limits: a change of plan or limits empties every process's key cache.
create function mme_notify_account_terms_changed() returns trigger
language plpgsql as $$
begin
  if new.plan is distinct from old.plan or new.limits is distinct from old.limits then
    perform pg_notify('mme_api_key_changed', '*');
  end if;
  return null;
end
$$;

create trigger accounts_notify_terms_change
  after update on accounts
  for each row execute function mme_notify_account_terms_changed();
