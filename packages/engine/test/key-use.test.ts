import { createDb, createPool } from "@mcpmediaengine/db";
import { createTestDatabase, type TestDatabase } from "@mcpmediaengine/testing";
import { afterAll, beforeAll, expect, test } from "vitest";
import { KeyUseRecorder } from "../src/auth/key-use";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await t.pool.query(`insert into accounts (id, name) values ('acc_u', 'u')`);
  await t.pool.query(
    `insert into api_keys (id, account_id, key_hash, key_hint) values ('key_u', 'acc_u', 'hash_u', 'abcd')`,
  );
});
afterAll(() => t.drop());

const lastUsed = async () =>
  (await t.pool.query<{ at: Date | null }>(`select last_used_at as at from api_keys where id = 'key_u'`))
    .rows[0]!.at;

test("last_used_at is written on a key's first use, then at most once a minute per process", async () => {
  const recorder = new KeyUseRecorder(t.db);
  expect(await lastUsed()).toBeNull();
  await recorder.record("key_u", 1_000_000);
  expect(await lastUsed()).not.toBeNull();

  expect(recorder.record("key_u", 1_000_000 + 59_000)).toBeUndefined();
  await t.pool.query(`update api_keys set last_used_at = '2001-01-01' where id = 'key_u'`);
  await recorder.record("key_u", 1_000_000 + 60_000);
  expect((await lastUsed())!.getUTCFullYear()).toBeGreaterThan(2001);
});

test("a write another process made within the minute is not made again", async () => {
  const recorder = new KeyUseRecorder(t.db);
  await t.pool.query(`update api_keys set last_used_at = now() - interval '30 seconds' where id = 'key_u'`);
  const before = await lastUsed();
  await recorder.record("key_u");
  expect(await lastUsed()).toEqual(before);
});

test("a write that fails (no database) is dropped quietly", async () => {
  // Port 1 on loopback: nothing listens there, so every connection is refused at once.
  const nowhere = createDb(createPool({ connectionString: "postgres://postgres@127.0.0.1:1/none" }));
  await expect(new KeyUseRecorder(nowhere).record("key_u")).resolves.toBeUndefined();
  await nowhere.destroy();
});
