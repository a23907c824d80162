-- API processes cache key lookups. Any change to a key row (a revocation, a deletion, even by hand in psql)
-- tells every process to drop that key from its cache, in the same commit.
create function mme_notify_api_key_changed() returns trigger
language plpgsql as $$
begin
  perform pg_notify('mme_api_key_changed', old.key_hash);
  return null;
end
$$;

create trigger api_keys_notify_change
  after update or delete on api_keys
  for each row execute function mme_notify_api_key_changed();
