import { createTestDatabase, type TestDatabase } from "@mcpmediaengine/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, expect, test } from "vitest";
import { migrate } from "../src/migrate";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

test("the cloned template has every table and graphile-worker's schema", async () => {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = 'public' order by table_name`.execute(
    t.db,
  );
  expect(tables.rows.map((r) => r.table_name)).toEqual(
    expect.arrayContaining(["accounts", "api_keys", "assets", "jobs", "mme_migrations", "worker_heartbeats"]),
  );
  const fn = await sql<{ n: number }>`
    select count(*)::int as n from pg_proc p join pg_namespace s on s.oid = p.pronamespace
    where s.nspname = 'graphile_worker' and p.proname = 'add_job'`.execute(t.db);
  expect(fn.rows[0]?.n).toBeGreaterThan(0);
});

test("migrating again applies nothing", async () => {
  const { applied } = await migrate(t.pool);
  expect(applied).toEqual([]);
});

test("a job row must name an existing account", async () => {
  await expect(
    t.db
      .insertInto("jobs")
      .values({
        id: "job_x",
        account_id: "acc_missing",
        type: "image",
        model: "local-studio",
        input: "{}",
        metadata: "{}",
        webhook_url: null,
        cost_credits: 1,
        max_attempts: 3,
        error_code: null,
        error_message: null,
      })
      .execute(),
  ).rejects.toThrow(/foreign key/);
});
