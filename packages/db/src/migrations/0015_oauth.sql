-- OAuth 2.1 for remote MCP hosts (issue 19): the engine is the authorization server of its own /mcp. A person
-- signed in to the console grants a client (a host such as a chat app) the use of their account; the client gets
-- access tokens bound to the account and to the MCP resource, and refresh tokens that rotate. Every secret
-- (code, access token, refresh token) is stored only as its SHA-256.

-- Clients registered with Dynamic Client Registration (RFC 7591). Clients identified by a Client ID Metadata
-- Document (an https URL) have no row: their document is fetched when they ask.
create table oauth_clients (
  id text primary key,
  client_name text not null,
  redirect_uris jsonb not null,
  metadata jsonb not null,
  created_at timestamptz not null default now()
);

-- One grant per approval: what a client may do for an account, and for which resource. Revoking a grant (or a
-- refresh token replayed after it was rotated) ends every token issued under it.
create table oauth_grants (
  id text primary key,
  account_id text not null references accounts (id) on delete cascade,
  user_id text references users (id) on delete cascade,
  client_id text not null,
  client_name text not null,
  resource text not null,
  scope text not null,
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);
create index oauth_grants_account on oauth_grants (account_id);

-- Authorization codes: one use, a few minutes, bound to the client, the redirect URI and the PKCE challenge.
create table oauth_codes (
  code_hash text primary key,
  grant_id text not null references oauth_grants (id) on delete cascade,
  redirect_uri text not null,
  code_challenge text not null,
  expires_at timestamptz not null,
  used_at timestamptz
);

-- Access and refresh tokens. A refresh token is used once: its use issues the next pair and marks it used; a
-- second use of it revokes the grant (OAuth 2.1 section 4.3.1, refresh token rotation for public clients).
create table oauth_tokens (
  token_hash text primary key,
  kind text not null check (kind in ('access', 'refresh')),
  grant_id text not null references oauth_grants (id) on delete cascade,
  expires_at timestamptz not null,
  used_at timestamptz,
  revoked_at timestamptz,
  created_at timestamptz not null default now()
);
create index oauth_tokens_grant on oauth_tokens (grant_id);
create index oauth_tokens_expired on oauth_tokens (expires_at);

-- An MCP session opened with an OAuth token belongs to the token's grant (its "key" for the per-key caps), which
-- is not an API key.
alter table mcp_sessions drop constraint mcp_sessions_key_id_fkey;
