import { createDb, createPool, type Database } from "@mcpmediaengine/db";
import type { Kysely } from "kysely";
import pg from "pg";
import { inject } from "vitest";
import { withDatabase } from "./global-setup";

export interface TestDatabase {
  connectionString: string;
  pool: pg.Pool;
  db: Kysely<Database>;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

let counter = 0;

/** A fresh database cloned from the migrated template: each test file gets its own, in about 50 ms. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject("pgAdminUrl");
  const template = inject("pgTemplate");
  const name = `mme_test_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  admin.on("error", () => {});
  await admin.connect();
  await admin.query(`create database ${name} template ${template}`);
  await admin.end();
  const connectionString = withDatabase(adminUrl, name);
  const pool = createPool({ connectionString, max: 10 });
  const db = createDb(pool);
  return {
    connectionString,
    pool,
    db,
    async drop() {
      await db.destroy();
      const client = new pg.Client({ connectionString: adminUrl });
      client.on("error", () => {});
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
