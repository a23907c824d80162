import { sql } from "kysely";
import { afterAll, beforeAll, expect, test } from "vitest";
import { sweepDeadWorkers } from "../src/worker/recovery";
import { createHarness, type Harness } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await createHarness([]);
});
afterAll(() => h.close());

async function lockedJob(key: string, worker: string, lockedSecondsAgo: number): Promise<void> {
  await sql`select graphile_worker.add_job('mme.generate', '{}'::json, job_key => ${key})`.execute(h.t.db);
  await sql`update graphile_worker._private_jobs
    set locked_by = ${worker}, locked_at = now() - make_interval(secs => ${lockedSecondsAgo}), attempts = 1
    where key = ${key}`.execute(h.t.db);
}
const lockOf = async (key: string) =>
  (
    await sql<{
      locked_by: string | null;
    }>`select locked_by from graphile_worker.jobs where key = ${key}`.execute(h.t.db)
  ).rows[0]?.locked_by;

test("jobs held by a worker that stopped beating are released; live and fresh locks are kept", async () => {
  await lockedJob("dead-job", "worker-dead", 60);
  await lockedJob("alive-job", "worker-alive", 60);
  await lockedJob("fresh-job", "worker-new", 0);
  await h.t.db
    .insertInto("worker_heartbeats")
    .values({ worker_id: "worker-alive", process_label: "test" })
    .execute();
  await h.t.db
    .insertInto("worker_heartbeats")
    .values({ worker_id: "worker-dead", process_label: "test", last_seen_at: new Date(Date.now() - 120_000) })
    .execute();

  const released = await sweepDeadWorkers(h.t.db, 30_000);

  expect(released).toEqual(["worker-dead"]);
  expect(await lockOf("dead-job")).toBeNull();
  expect(await lockOf("alive-job")).toBe("worker-alive");
  expect(await lockOf("fresh-job")).toBe("worker-new");
  const beats = await h.t.db.selectFrom("worker_heartbeats").select("worker_id").execute();
  expect(beats.map((b) => b.worker_id)).toEqual(["worker-alive"]);
});

test("heartbeat rows of workers long gone are removed, even when they held no jobs", async () => {
  await h.t.db.deleteFrom("worker_heartbeats").execute();
  await h.t.db
    .insertInto("worker_heartbeats")
    .values([
      { worker_id: "gone-idle", process_label: "test", last_seen_at: new Date(Date.now() - 3600_000) },
      { worker_id: "paused-briefly", process_label: "test", last_seen_at: new Date(Date.now() - 60_000) },
      { worker_id: "live", process_label: "test" },
    ])
    .execute();
  await sweepDeadWorkers(h.t.db, 30_000);
  const beats = await h.t.db
    .selectFrom("worker_heartbeats")
    .select("worker_id")
    .orderBy("worker_id")
    .execute();
  // Ten stale times: a worker paused for a minute may still come back and beat.
  expect(beats.map((b) => b.worker_id)).toEqual(["live", "paused-briefly"]);
});
