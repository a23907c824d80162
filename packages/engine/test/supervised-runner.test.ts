import { EventEmitter } from "node:events";
import { createTestDatabase, type TestDatabase } from "@mcpmediaengine/testing";
import { Logger, run, type WorkerEvents, type WorkerPool } from "graphile-worker";
import { sql } from "kysely";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Log } from "../src/logger";
import { superviseRunner } from "../src/worker/supervised-runner";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

test("a runner whose pool gives up is replaced, and the job its pool held runs again", async () => {
  const events = new EventEmitter() as WorkerEvents;
  const pools: WorkerPool[] = [];
  events.on("pool:create", ({ workerPool }) => pools.push(workerPool));
  const ran: string[] = [];
  const lines: string[] = [];
  const log: Log = {
    debug: () => {},
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
  };
  const runner = await superviseRunner({
    name: "test",
    log,
    events,
    release: async (ids) => {
      await sql`select graphile_worker.force_unlock_workers(${ids}::text[])`.execute(t.db);
    },
    start: (own) =>
      run({
        pgPool: t.pool,
        concurrency: 1,
        noHandleSignals: true,
        pollInterval: 100,
        events: own,
        logger: new Logger(() => () => {}),
        taskList: {
          work: async (payload) => {
            ran.push((payload as { n: string }).n);
          },
        },
      }),
  });
  try {
    expect(pools).toHaveLength(1);
    const dying = pools[0]!;
    // A job the pool holds when it gives up (graphile-worker gives up when it cannot record a job's end).
    await sql`select graphile_worker.add_job('work', '{"n":"held"}'::json, job_key => 'held')`.execute(t.db);
    await sql`update graphile_worker._private_jobs set locked_by = ${dying.id}, locked_at = now()
      where key = 'held'`.execute(t.db);
    await dying.gracefulShutdown("queue is in an inconsistent state; aborting (simulated)");

    await expect.poll(() => pools.length, { timeout: 20_000 }).toBe(2);
    await expect.poll(() => ran, { timeout: 20_000 }).toEqual(["held"]);
    expect(lines).toEqual([
      "warn test runner stopped (it ended); starting a new one",
      "info test runner running again",
    ]);
  } finally {
    await runner.stop();
  }
  // Stopped on purpose: nothing replaces it.
  expect(pools).toHaveLength(2);
});
