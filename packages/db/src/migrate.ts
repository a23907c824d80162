import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { Logger, runMigrations as runWorkerMigrations } from "graphile-worker";
import { type Kysely, sql } from "kysely";
import type pg from "pg";
import type { Database } from "./types";

const MIGRATIONS_DIR = fileURLToPath(new URL("./migrations/", import.meta.url));
// Any constant shared by every process: concurrent starts take turns instead of racing on DDL.
const MIGRATION_LOCK = 4_242_001;

/**
 * Brings the database to the newest schema: graphile-worker's own migrations, then ours, each of ours once, in
 * file-name order, each in its own transaction. Landed migration files are frozen; a change is a new file.
 */
export async function migrate(pool: pg.Pool): Promise<{ applied: string[] }> {
  await runWorkerMigrations({ pgPool: pool, logger: silentLogger() });
  const files = await migrationFiles();
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await client.query(
      "create table if not exists mme_migrations (name text primary key, applied_at timestamptz not null default now())",
    );
    const done = new Set(
      (await client.query<{ name: string }>("select name from mme_migrations")).rows.map((r) => r.name),
    );
    for (const file of files) {
      if (done.has(file)) continue;
      const sql = await readFile(MIGRATIONS_DIR + file, "utf8");
      await client.query("begin");
      try {
        await client.query(sql);
        await client.query("insert into mme_migrations (name) values ($1)", [file]);
        await client.query("commit");
        applied.push(file);
      } catch (error) {
        await client.query("rollback");
        throw new Error(`Migration ${file} failed: ${(error as Error).message}`, { cause: error });
      }
    }
  } finally {
    await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
  return { applied };
}

/**
 * Our migrations this build has that the database has not applied (empty when its schema is current). A database
 * ahead of this build (a newer process migrated it during a rolling deploy) is current for it.
 */
export async function pendingMigrations(db: Kysely<Database>): Promise<string[]> {
  const files = await migrationFiles();
  const { rows } = await sql<{ name: string }>`select name from mme_migrations`.execute(db);
  const done = new Set(rows.map((r) => r.name));
  return files.filter((f) => !done.has(f));
}

let listed: Promise<string[]> | undefined;

/** The migration files, in the order they apply; read once (they do not change while a process runs). */
function migrationFiles(): Promise<string[]> {
  listed ??= readdir(MIGRATIONS_DIR).then((names) => names.filter((f) => f.endsWith(".sql")).sort());
  return listed;
}

// graphile-worker's default logger writes to stdout, which is the protocol channel of the MCP stdio server.
function silentLogger() {
  return new Logger(() => () => {});
}
