import { createPool } from "@mcpmediaengine/db";
import { startBenchEngine } from "./engine";
import type { BenchPostgres } from "./postgres";
import { percentile } from "./stats";

export interface LoadResult {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

const JOB = { type: "image", prompt: "bench", model: "dev-noop" } as const;

/**
 * Submit throughput: `POST /v1/jobs` over HTTP (auth, the rate limit, validation, the credit hold, the job row
 * and its queue entry; and again with an Idempotency-Key) against the floor under it, a bare loop of `graphile_worker.add_job` calls on the same database,
 * each side with the same number of clients in parallel. The engine runs as the api role so no worker competes.
 */
export async function benchSubmitThroughput(
  postgres: BenchPostgres,
  options: { count: number; clients: number; rounds: number },
): Promise<{ ours: LoadResult; idempotent: LoadResult; baseline: LoadResult }> {
  const databaseUrl = await postgres.freshDatabase("submit");
  const engine = await startBenchEngine(databaseUrl, "api", { clients: options.clients });
  const pool = createPool({ connectionString: databaseUrl, max: options.clients });
  try {
    const addJob = async (i: number) => {
      await pool.query("select graphile_worker.add_job('bench_bare_add', json_build_object('i', $1::int))", [
        i,
      ]);
    };
    let keys = 0;
    // A fresh key per request: every submission claims, runs and records its key, the full idempotent path.
    const submitIdempotent = () =>
      engine.submit(JOB, { "idempotency-key": `bench-${process.pid}-${keys++}` });
    await runLoad(300, options.clients, () => engine.submit(JOB));
    await runLoad(300, options.clients, submitIdempotent);
    await runLoad(300, options.clients, addJob);
    // Rounds alternate the sides, so a slow moment of the machine (or a database growing as it fills) hits both;
    // each side's figure is its median round.
    const ours: LoadResult[] = [];
    const idempotent: LoadResult[] = [];
    const baseline: LoadResult[] = [];
    for (let round = 0; round < options.rounds; round++) {
      ours.push(await runLoad(options.count, options.clients, () => engine.submit(JOB)));
      idempotent.push(await runLoad(options.count, options.clients, submitIdempotent));
      baseline.push(await runLoad(options.count, options.clients, addJob));
    }
    return { ours: medianRound(ours), idempotent: medianRound(idempotent), baseline: medianRound(baseline) };
  } finally {
    await pool.end();
    await engine.stop();
  }
}

function medianRound(rounds: LoadResult[]): LoadResult {
  return [...rounds].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(rounds.length / 2)] as LoadResult;
}

/** Runs `count` calls from `clients` loops at once; latency per call and calls per second overall. */
export async function runLoad(
  count: number,
  clients: number,
  call: (i: number) => Promise<unknown>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        await call(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = performance.now() - started;
  return {
    perSecond: (count / elapsed) * 1000,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
  };
}
