-- The console (issue 18): sign-up with an email and a password, browser sessions, the operator's account, and
-- when each key was last used.

-- The operator's account may use the admin API from a browser session. It is the start-up key's account: the one
-- given the bootstrap grant.
alter table accounts add column operator boolean not null default false;
update accounts set operator = true
  where id in (select account_id from credit_ledger where kind = 'grant' and period = 'bootstrap');

-- The people who sign in with an email and a password; one per account for now. Emails are stored lower-cased,
-- and the password only as an Argon2id hash.
create table users (
  id text primary key,
  account_id text not null references accounts (id),
  email text not null unique,
  password_hash text not null,
  created_at timestamptz not null default now()
);
create index users_account on users (account_id);

-- Browser sessions. The cookie carries a random token; only its SHA-256 is stored. A session opened with an API
-- key names the key and ends when the key is revoked.
create table sessions (
  id text primary key,
  token_hash text not null unique,
  account_id text not null references accounts (id),
  user_id text references users (id),
  api_key_id text references api_keys (id),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  check ((user_id is null) <> (api_key_id is null))
);
create index sessions_account on sessions (account_id, expires_at);

-- api_keys.last_used_at is written at most once a minute per key. Such a write must not make every process drop
-- the key from its cache: only changes that matter to authentication notify now.
drop trigger api_keys_notify_change on api_keys;
create trigger api_keys_notify_change
  after update on api_keys
  for each row
  when (old.revoked_at is distinct from new.revoked_at
    or old.key_hash is distinct from new.key_hash
    or old.account_id is distinct from new.account_id)
  execute function mme_notify_api_key_changed();
create trigger api_keys_notify_delete
  after delete on api_keys
  for each row execute function mme_notify_api_key_changed();

-- Usage reads an account's ended jobs by the time they ended.
create index jobs_account_completed_at on jobs (account_id, completed_at) where completed_at is not null;
