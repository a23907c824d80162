-- MCP sessions over Streamable HTTP, shared by every API process: any process answers a session's requests (it
-- builds the session's server from this row), and a session closed on one process is closed on all of them.
-- Unlogged, as rate_limit_windows: every MCP request touches its row, and after a Postgres crash the clients
-- start new sessions.
create unlogged table mcp_sessions (
  id text primary key,
  account_id text not null references accounts (id) on delete cascade,
  key_id text not null references api_keys (id) on delete cascade,
  -- What the client's initialize said: a process that did not see it replays it to build the session's server.
  protocol_version text not null,
  client_capabilities jsonb not null,
  client_info jsonb not null,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  -- Set while some process answers a long request of the session (an open stream); a cap closes idle sessions
  -- first. It lapses by itself if that process dies.
  busy_until timestamptz
);

create index mcp_sessions_by_key on mcp_sessions (key_id, last_seen_at);
create index mcp_sessions_by_last_seen on mcp_sessions (last_seen_at);

-- Every way a session ends (DELETE, a cap, the idle sweep, its key deleted) tells every API process at commit,
-- so each closes its copy and the streams it holds open.
create function mme_notify_mcp_session_closed() returns trigger
language plpgsql as $$
begin
  perform pg_notify('mme_mcp_session_closed', old.id);
  return null;
end
$$;

create trigger mcp_sessions_notify_close
  after delete on mcp_sessions
  for each row execute function mme_notify_mcp_session_closed();
