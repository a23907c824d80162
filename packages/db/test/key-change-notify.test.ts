import { createTestDatabase, type TestDatabase } from "@mcpmediaengine/testing";
import pg from "pg";
import { afterAll, beforeAll, expect, test } from "vitest";

// Processes drop a key from their cache when Postgres notifies. Writing last_used_at (once a minute per key) must
// not empty every cache; a revocation must.
let t: TestDatabase;
let listener: pg.Client;
const heard: string[] = [];
beforeAll(async () => {
  t = await createTestDatabase();
  await t.pool.query(`insert into accounts (id, name) values ('acc_n', 'n')`);
  await t.pool.query(
    `insert into api_keys (id, account_id, key_hash, key_hint) values ('key_n', 'acc_n', 'hash_n', 'abcd')`,
  );
  listener = new pg.Client({ connectionString: t.connectionString });
  listener.on("error", () => {});
  listener.on("notification", (message) => heard.push(message.payload ?? ""));
  await listener.connect();
  await listener.query("listen mme_api_key_changed");
});
afterAll(async () => {
  await listener.end();
  await t.drop();
});

test("writing last_used_at notifies nobody; a revocation and a deletion do", async () => {
  await t.pool.query(`update api_keys set last_used_at = now() where id = 'key_n'`);
  await t.pool.query(`update api_keys set name = 'renamed' where id = 'key_n'`);
  // A notification is delivered in commit order: one sent after these arrives after anything they sent.
  await t.pool.query(`select pg_notify('mme_api_key_changed', 'marker')`);
  await expect.poll(() => heard).toContain("marker");
  expect(heard).toEqual(["marker"]);

  await t.pool.query(`update api_keys set revoked_at = now() where id = 'key_n'`);
  await expect.poll(() => heard).toEqual(["marker", "hash_n"]);
  await t.pool.query(`delete from api_keys where id = 'key_n'`);
  await expect.poll(() => heard).toEqual(["marker", "hash_n", "hash_n"]);
});
