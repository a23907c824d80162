import { createPool } from "@mcpmediaengine/db";
import { startBenchEngine } from "./engine";
import type { BenchPostgres } from "./postgres";
import { percentile } from "./stats";
import { runLoad } from "./submit-throughput";

export interface BatchAcceptResult {
  /** POST /v1/batch of 500 jobs, answered. */
  batch: { p50Ms: number; p99Ms: number };
  /** One transaction: the same 500 rows inserted into the jobs table and one add_jobs of their 500 jobs. */
  bare: { p50Ms: number; p99Ms: number };
  /** The same with the rows in a table of two columns and a primary key only: the floor of the floor. */
  bareMinimal: { p50Ms: number; p99Ms: number };
  /** The same 500 jobs as 500 POST /v1/jobs from `clients` clients at once, first sent to last answered. */
  singles: { p50Ms: number; p99Ms: number };
  /** The same 500 jobs as 500 POST /v1/jobs one after another. */
  singlesInTurn: { p50Ms: number; p99Ms: number };
}

const SIZE = 500;

/**
 * Accepting a 500-job batch over HTTP (auth, rate limit, checking every item, the credit debit, the batch row, 500
 * job rows, one hold and one add_jobs, in one statement) against the floor under it: the same 500 job rows
 * inserted and one `add_jobs` of their 500 jobs, in one transaction from a pg client on the same database (and
 * the same into a bare two-column table, to show what the jobs table's indexes and key checks cost); and against submitting the same 500 jobs as
 * single jobs, from many clients at once and from one. Rounds alternate them; the engine runs as the api role so
 * no worker competes.
 */
export async function benchBatchAccept(
  postgres: BenchPostgres,
  options: { rounds: number; clients: number },
): Promise<BatchAcceptResult> {
  const databaseUrl = await postgres.freshDatabase("batch");
  const engine = await startBenchEngine(databaseUrl, "api", { clients: options.clients });
  const pool = createPool({ connectionString: databaseUrl, max: 2 });
  await pool.query(
    "create table bench_rows (id text primary key, input jsonb not null, created_at timestamptz)",
  );
  const prompts = Array.from({ length: SIZE }, (_, i) => `bench variant ${i}`);
  const body = {
    jobs: prompts.map((prompt, i) => ({ prompt, customId: `c${i}` })),
    defaults: { type: "image", model: "dev-noop" },
  };
  const { rows } = await pool.query<{ id: string }>("select id from accounts limit 1");
  const accountId = rows[0]!.id;
  let round = 0;
  // The same rows our jobs get (id, account, model, resolved input, cost, batch, index, customId) and the same
  // queue entries (task, payload, max attempts, job key, priority), with none of the checks, credits or HTTP.
  const bare = (table: "jobs" | "bench_rows") => async () => {
    const ids = prompts.map((_, i) => `job_bare${round}_${table}_${i}`);
    const inputs = prompts.map((prompt, i) =>
      JSON.stringify({ prompt, preset: null, width: 1024, height: 1024, format: "png", seed: i }),
    );
    const client = await pool.connect();
    try {
      await client.query("begin");
      if (table === "jobs") {
        await client.query(
          `insert into jobs (id, account_id, type, model, input, cost_credits, max_attempts, created_at, updated_at,
             batch_index, custom_id)
           select id, $3, 'image', 'dev-noop', input, 1, 5, now(), now(), ord - 1, 'c' || (ord - 1)
           from unnest($1::text[], $2::jsonb[]) with ordinality as t(id, input, ord)`,
          [ids, inputs, accountId],
        );
      } else {
        await client.query(
          "insert into bench_rows select id, input, now() from unnest($1::text[], $2::jsonb[]) as t(id, input)",
          [ids, inputs],
        );
      }
      await client.query(
        `select graphile_worker.add_jobs((select array_agg(row('bench_bare_add', json_build_object('jobId', id), null,
           null, 5, id, 1 + (ord - 1) / 25, null)::graphile_worker.job_spec)
           from unnest($1::text[]) with ordinality as t(id, ord)))`,
        [ids],
      );
      await client.query("commit");
    } finally {
      client.release();
    }
  };
  const time = async (call: () => Promise<unknown>) => {
    const t0 = performance.now();
    await call();
    return performance.now() - t0;
  };
  try {
    for (let i = 0; i < 3; i++) {
      await engine.post("/v1/batch", body);
      await bare("jobs")();
      await bare("bench_rows")();
      round++;
    }
    const batchSamples: number[] = [];
    const bareSamples: number[] = [];
    const minimalSamples: number[] = [];
    const singleSamples: number[] = [];
    const inTurnSamples: number[] = [];
    for (; round < options.rounds + 3; round++) {
      batchSamples.push(await time(() => engine.post("/v1/batch", body)));
      bareSamples.push(await time(bare("jobs")));
      minimalSamples.push(await time(bare("bench_rows")));
      const single = (i: number) => engine.submit({ type: "image", model: "dev-noop", prompt: prompts[i]! });
      singleSamples.push(await time(() => runLoad(SIZE, options.clients, single)));
      inTurnSamples.push(await time(() => runLoad(SIZE, 1, single)));
    }
    const stats = (s: number[]) => ({ p50Ms: percentile(s, 0.5), p99Ms: percentile(s, 0.99) });
    return {
      batch: stats(batchSamples),
      bare: stats(bareSamples),
      bareMinimal: stats(minimalSamples),
      singles: stats(singleSamples),
      singlesInTurn: stats(inTurnSamples),
    };
  } finally {
    await pool.end();
    await engine.stop();
  }
}
