-- Accounts and their API keys. A key is stored only as the SHA-256 of its secret.
create table accounts (
  id text primary key,
  name text not null,
  created_at timestamptz not null default now()
);

create table api_keys (
  id text primary key,
  account_id text not null references accounts (id),
  name text not null default '',
  key_hash text not null unique,
  key_hint text not null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);

create index api_keys_account on api_keys (account_id);

-- Server-wide values shared by every process on this database, such as the asset URL signing key.
create table server_settings (
  key text primary key,
  value text not null,
  created_at timestamptz not null default now()
);
