import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createPool } from "@mcpmediaengine/db";
import { startBenchEngine } from "./engine";
import type { BenchPostgres } from "./postgres";
import { runLoad } from "./submit-throughput";

export interface WorkerScalingResult {
  /** Jobs completed a second, by the number of worker processes. */
  perSecond: Map<number, number>;
}

/** Clients submitting at once: enough that the API's accepting is never what the workers wait for. */
const CLIENTS = 8;

/**
 * Submit-to-completed throughput of no-op jobs on 1, 2, … worker processes (`start --role worker`, each with the
 * default MME_WORKER_CONCURRENCY) sharing one database and one API process: from the first submission to the last
 * job completed. The jobs are single submissions from several clients at once (a batch's jobs would all count
 * themselves on their one batch row, which serializes them). Each count of workers gets a fresh database, and a
 * few jobs run first so every worker is warm.
 */
export async function benchWorkerScaling(
  postgres: BenchPostgres,
  options: { jobs: number; workerCounts: number[] },
): Promise<WorkerScalingResult> {
  const perSecond = new Map<number, number>();
  for (const count of options.workerCounts) {
    const databaseUrl = await postgres.freshDatabase(`scaling_${count}`);
    const engine = await startBenchEngine(databaseUrl, "api", { clients: CLIENTS });
    const workers: ChildProcess[] = [];
    const pool = createPool({ connectionString: databaseUrl, max: 2 });
    try {
      for (let i = 0; i < count; i++) workers.push(await startWorker(databaseUrl, engine.dataDir));
      const submit = (n: number) =>
        runLoad(n, CLIENTS, (i) =>
          engine.submit({ type: "image", model: "dev-noop", prompt: `scaling ${i}` }),
        );
      const completed = async () =>
        (await pool.query<{ n: number }>("select count(*)::int as n from jobs where status = 'completed'"))
          .rows[0]!.n;
      const waitFor = async (total: number) => {
        while ((await completed()) < total) await new Promise((r) => setTimeout(r, 20));
      };
      await submit(10 * count);
      await waitFor(10 * count);
      const before = await completed();
      const t0 = performance.now();
      await submit(options.jobs);
      await waitFor(before + options.jobs);
      perSecond.set(count, options.jobs / ((performance.now() - t0) / 1000));
    } finally {
      await pool.end();
      await Promise.all(workers.map(stopWorker));
      await engine.stop();
    }
  }
  return { perSecond };
}

function startWorker(databaseUrl: string, dataDir: string): Promise<ChildProcess> {
  const bin = join(
    dirname(createRequire(import.meta.url).resolve("@mcpmediaengine/server/package.json")),
    "bin",
    "mcp-media-engine.mjs",
  );
  const child = spawn(process.execPath, [bin, "start", "--role", "worker"], {
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/root",
      DATABASE_URL: databaseUrl,
      MME_DATA_DIR: dataDir,
      MME_DEV_MODELS: "1",
      MME_LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("(worker) working")) resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`a worker exited (${code}) before working:\n${out}`)));
  });
}

async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}
