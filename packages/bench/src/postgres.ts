import { tmpdir } from "node:os";
import { join } from "node:path";
import { type EmbeddedPostgresHandle, startEmbeddedPostgres } from "@mcpmediaengine/db";
import pg from "pg";

export interface BenchPostgres {
  /** A fresh, empty database for one benchmark; the engine migrates it when it starts. */
  freshDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * BENCH_DATABASE_URL (a server and a user that may create databases) when set, else an embedded Postgres kept
 * under the system temp folder between runs, so initdb happens once a machine.
 */
export async function startBenchPostgres(): Promise<BenchPostgres> {
  let handle: EmbeddedPostgresHandle | undefined;
  let adminUrl = process.env.BENCH_DATABASE_URL;
  if (!adminUrl) {
    handle = await startEmbeddedPostgres({ dataDir: join(tmpdir(), "mme-bench"), database: "postgres" });
    adminUrl = handle.connectionString;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  admin.on("error", () => {});
  await admin.connect();
  const made: string[] = [];
  return {
    async freshDatabase(name) {
      const database = `mme_bench_${name}_${process.pid}`;
      await admin.query(`drop database if exists ${database} with (force)`);
      await admin.query(`create database ${database}`);
      made.push(database);
      const url = new URL(adminUrl);
      url.pathname = `/${database}`;
      return url.toString();
    },
    async stop() {
      for (const database of made) await admin.query(`drop database if exists ${database} with (force)`);
      await admin.end();
      await handle?.stop();
    },
  };
}
