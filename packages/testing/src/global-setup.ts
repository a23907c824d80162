import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPool, type EmbeddedPostgresHandle, migrate, startEmbeddedPostgres } from "@mcpmediaengine/db";
import pg from "pg";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
  }
}

const TEMPLATE = "mme_test_template";

/**
 * One Postgres for the whole run: TEST_DATABASE_URL when given (a server and a user that may create databases),
 * else the embedded one in a folder under the system temp dir kept between runs, so initdb happens once a machine.
 * The schema is migrated once into a template database that every test file clones.
 */
export default async function setup(project: TestProject) {
  let handle: EmbeddedPostgresHandle | undefined;
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    handle = await startEmbeddedPostgres({
      dataDir: join(tmpdir(), "mme-test-postgres"),
      database: "postgres",
    });
    adminUrl = handle.connectionString;
  }
  const template = `${TEMPLATE}_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  admin.on("error", () => {});
  await admin.connect();
  await admin.query(`drop database if exists ${template}`);
  await admin.query(`create database ${template}`);
  const pool = createPool({ connectionString: withDatabase(adminUrl, template), max: 2 });
  await migrate(pool);
  await pool.end();

  project.provide("pgAdminUrl", adminUrl);
  project.provide("pgTemplate", template);
  return async () => {
    await admin.query(`drop database if exists ${template} with (force)`).catch(() => {});
    await admin.end();
    await handle?.stop();
  };
}

export function withDatabase(connectionString: string, database: string): string {
  const url = new URL(connectionString);
  url.pathname = `/${database}`;
  return url.toString();
}
