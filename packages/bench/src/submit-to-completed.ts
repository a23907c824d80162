import { createPool } from "@mcpmediaengine/db";
import { Logger, run } from "graphile-worker";
import { startBenchEngine } from "./engine";
import type { BenchPostgres } from "./postgres";
import { percentile } from "./stats";

export interface LatencyResult {
  p50Ms: number;
  p99Ms: number;
}

const silent = new Logger(() => () => {});

/**
 * Submit-to-completed with the no-op generator, one job at a time: from sending `POST /v1/jobs` to the job row
 * reading `completed` (watched by a client querying it back to back). The baseline is graphile-worker's own
 * latency on the same database: from calling `add_job` to a no-op task starting, with the same poll interval and
 * LISTEN/NOTIFY pick-up as our worker.
 */
export async function benchSubmitToCompleted(
  postgres: BenchPostgres,
  options: { count: number },
): Promise<{ ours: LatencyResult; baseline: LatencyResult }> {
  const databaseUrl = await postgres.freshDatabase("latency");
  const engine = await startBenchEngine(databaseUrl, "all", { clients: 1 });
  const pool = createPool({ connectionString: databaseUrl, max: 4 });
  let onStart: (() => void) | undefined;
  const runner = await run({
    pgPool: pool,
    concurrency: 1,
    pollInterval: 1000,
    noHandleSignals: true,
    logger: silent,
    taskList: { bench_pickup: async () => onStart?.() },
  });
  try {
    const watcher = await pool.connect();
    const ours = async () => {
      const t0 = performance.now();
      const { jobId } = await engine.submit({ type: "image", prompt: "bench", model: "dev-noop" });
      for (;;) {
        const { rows } = await watcher.query<{ status: string }>("select status from jobs where id = $1", [
          jobId,
        ]);
        if (rows[0]?.status === "completed") return performance.now() - t0;
        if (rows[0]?.status === "failed") throw new Error(`bench job ${jobId} failed`);
      }
    };
    const baseline = async () => {
      const started = new Promise<void>((resolve) => {
        onStart = resolve;
      });
      const t0 = performance.now();
      await pool.query("select graphile_worker.add_job('bench_pickup', '{}'::json)");
      await started;
      return performance.now() - t0;
    };
    const oursSamples: number[] = [];
    const baselineSamples: number[] = [];
    for (let i = 0; i < 20; i++) {
      await ours();
      await baseline();
    }
    // Interleaved, so both sides see the same machine and the same database at each moment.
    for (let i = 0; i < options.count; i++) {
      oursSamples.push(await ours());
      baselineSamples.push(await baseline());
    }
    watcher.release();
    return {
      ours: { p50Ms: percentile(oursSamples, 0.5), p99Ms: percentile(oursSamples, 0.99) },
      baseline: { p50Ms: percentile(baselineSamples, 0.5), p99Ms: percentile(baselineSamples, 0.99) },
    };
  } finally {
    await runner.stop();
    await pool.end();
    await engine.stop();
  }
}
