import { createNoopGenerator } from "@mcpmediaengine/media";
import { sql } from "kysely";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Caller } from "../src/context";
import { type JobEventNote, JobEventSource } from "../src/events/job-event-source";
import { createLog } from "../src/logger";
import { LOW_PRIORITY_BASE } from "../src/queue/enqueue";
import { dropOldProgressEvents, jobEventsAfter, resumeBatchEvents } from "../src/repositories/job-events";
import { submitBatch } from "../src/services/batches/submit";
import { submitJob } from "../src/services/jobs/submit";
import { createHarness, type Harness } from "./harness";

let h: Harness;
let alice: Caller;
let source: JobEventSource;
const notes: JobEventNote[] = [];

beforeAll(async () => {
  h = await createHarness([createNoopGenerator("local-studio")]);
  alice = await h.newCaller();
  source = await JobEventSource.start({ connectionString: h.t.connectionString, log: createLog("silent") });
  source.subscribe({ accountId: alice.accountId }, { onNote: (n) => notes.push(n), onResync: () => {} });
});
afterAll(async () => {
  await source?.stop();
  await h?.close();
});

const submit = (input: Record<string, unknown> = {}) =>
  submitJob({
    ctx: h.ctx,
    caller: alice,
    scope: h.scope,
    input: { type: "image", prompt: "a lighthouse", ...input },
  });
const setProgress = (jobId: string, progress: number) =>
  sql`update jobs set progress = ${progress} where id = ${jobId}`.execute(h.t.db);

test("every change of status or progress is numbered per job, stored and announced, in commit order", async () => {
  const job = await submit();
  await sql`update jobs set status = 'processing', attempts = 1 where id = ${job.jobId}`.execute(h.t.db);
  await setProgress(job.jobId, 0.5);
  // A write of something else is no event.
  await sql`update jobs set running_on = 'w' where id = ${job.jobId}`.execute(h.t.db);
  await sql`update jobs set status = 'completed', progress = 1 where id = ${job.jobId}`.execute(h.t.db);
  const stored = await jobEventsAfter(h.t.db, job.jobId, 0);
  expect(stored.map((e) => [e.seq, e.kind, e.status, e.progress])).toEqual([
    [1, "status", "processing", 0],
    [2, "progress", "processing", 0.5],
    [3, "status", "completed", 1],
  ]);
  await expect
    .poll(() => notes.filter((n) => n.kind !== "created" && n.jobId === job.jobId).length, {
      timeout: 10_000,
    })
    .toBe(3);
  const heard = notes.filter((n): n is Extract<JobEventNote, { jobId: string }> => n.kind !== "created");
  expect(heard.filter((n) => n.jobId === job.jobId).map((n) => n.seq)).toEqual([1, 2, 3]);
  expect(notes.some((n) => n.kind === "created")).toBe(true);
});

test("a batch resumed after an event also gets the earlier event committed after it", async () => {
  const batch = await submitBatch({
    ctx: h.ctx,
    caller: alice,
    scope: h.scope,
    input: { defaults: { type: "image" }, jobs: [{ prompt: "a" }, { prompt: "b" }] },
  });
  const [first, second] = batch.jobIds as [string, string];
  const slow = await h.t.pool.connect();
  try {
    // The first job's event takes its id first, but its transaction commits after the second's.
    await slow.query("begin");
    await slow.query("update jobs set progress = 0.1 where id = $1", [first]);
    await setProgress(second, 0.2);
    const mark = (await jobEventsAfter(h.t.db, second, 0)).at(-1)!;
    await slow.query("commit");
    const resumed = await resumeBatchEvents(h.t.db, batch.batchId, mark.id);
    expect(resumed.events.map((e) => [e.job_id, e.progress])).toEqual([[first, expect.closeTo(0.1)]]);
    // Resumed after an event no transaction overlapped, nothing comes back.
    const settled = (await jobEventsAfter(h.t.db, first, 0)).at(-1)!;
    await setProgress(second, 0.3);
    const later = (await jobEventsAfter(h.t.db, second, 0)).at(-1)!;
    expect((await resumeBatchEvents(h.t.db, batch.batchId, later.id)).events).toEqual([]);
    expect(BigInt(settled.id)).toBeLessThan(BigInt(later.id));
  } finally {
    slow.release();
  }
});

test("low priority queues behind every normal entry; a batch's jobs are low unless it says normal", async () => {
  const low = await submit({ priority: "low" });
  const normal = await submit();
  const batch = await submitBatch({
    ctx: h.ctx,
    caller: alice,
    scope: h.scope,
    input: { defaults: { type: "image" }, jobs: [{ prompt: "a" }, { prompt: "b", priority: "normal" }] },
  });
  const priority = async (jobId: string) =>
    (
      await sql<{ priority: number }>`select priority from graphile_worker.jobs where key = ${jobId}`.execute(
        h.t.db,
      )
    ).rows[0]?.priority;
  expect(await priority(low.jobId)).toBe(LOW_PRIORITY_BASE);
  expect(await priority(normal.jobId)).toBe(0);
  expect(await priority(batch.jobIds[0]!)).toBe(LOW_PRIORITY_BASE + 1);
  expect(await priority(batch.jobIds[1]!)).toBe(1);
  const rows = await sql<{ id: string; priority: string }>`
    select id, priority from jobs where id = any(${[low.jobId, normal.jobId, ...batch.jobIds]}::text[])`.execute(
    h.t.db,
  );
  expect(Object.fromEntries(rows.rows.map((r) => [r.id, r.priority]))).toEqual({
    [low.jobId]: "low",
    [normal.jobId]: "normal",
    [batch.jobIds[0]!]: "low",
    [batch.jobIds[1]!]: "normal",
  });
});

test("progress steps go an hour after their job ended; status changes and running jobs' steps stay", async () => {
  const ended = await submit();
  const running = await submit();
  for (const job of [ended, running]) {
    await sql`update jobs set status = 'processing' where id = ${job.jobId}`.execute(h.t.db);
    await setProgress(job.jobId, 0.5);
  }
  await sql`update jobs set status = 'completed', progress = 1 where id = ${ended.jobId}`.execute(h.t.db);
  await sql`update jobs set completed_at = now() - interval '2 hours' where id = ${ended.jobId}`.execute(
    h.t.db,
  );
  await sql`update job_events set at = now() - interval '2 hours'`.execute(h.t.db);
  await dropOldProgressEvents(h.t.db);
  expect((await jobEventsAfter(h.t.db, ended.jobId, 0)).map((e) => e.kind)).toEqual(["status", "status"]);
  expect((await jobEventsAfter(h.t.db, running.jobId, 0)).map((e) => e.kind)).toEqual(["status", "progress"]);
});
