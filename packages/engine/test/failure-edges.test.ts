import type { Job } from "@mcpmediaengine/contract";
import { createNoopGenerator, type Generator } from "@mcpmediaengine/media";
import { sql } from "kysely";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Caller } from "../src/context";
import { createLog } from "../src/logger";
import { cancelJob } from "../src/services/jobs/cancel";
import { submitJob } from "../src/services/jobs/submit";
import { failOrphanedJobs } from "../src/worker/recovery";
import { startWorker, type WorkerHandle, type WorkerOptions } from "../src/worker/runner";
import { createHarness, ended, type Harness, until } from "./harness";

// Issue 15: every way a run can go ends its job or hands it on; a canceled run really stops and holds its slot
// until it has; a run that lost its lease records nothing.

const noop = createNoopGenerator("fast");

/** What the "gated" model's runs did, by prompt. */
interface RunLog {
  started: number;
  aborted: number;
  settled: number;
}
const runs = new Map<string, RunLog>();
const gates = new Map<string, () => void>();
const logOf = (prompt: string) => {
  const log = runs.get(prompt) ?? { started: 0, aborted: 0, settled: 0 };
  runs.set(prompt, log);
  return log;
};
/** Opens the gate a run of this prompt waits at (to finish, or, once aborted, to stop). */
const open = (prompt: string) => gates.get(prompt)?.();

/**
 * Runs until its gate opens or it is aborted. Prompts say how it behaves: "linger" keeps working after the abort
 * until its gate opens (a render that takes a while to stop); "deaf" ignores the abort and returns its files.
 */
const gated: Generator<"image"> = {
  model: "gated",
  type: "image",
  async generate(input, ctx) {
    const log = logOf(input.prompt);
    log.started++;
    try {
      await new Promise<void>((resolve, reject) => {
        gates.set(input.prompt, resolve);
        ctx.signal.addEventListener("abort", () => {
          log.aborted++;
          if (input.prompt.includes("deaf")) return;
          if (input.prompt.includes("linger")) gates.set(input.prompt, () => reject(new Error("aborted")));
          else reject(new Error("aborted"));
        });
      });
      return await noop.generate(input, ctx);
    } finally {
      log.settled++;
    }
  },
};

let h: Harness;
let worker: WorkerHandle;

/** A worker on a harness's database: quick heartbeats and a 2 s stale time, three jobs at once unless told. */
const startTestWorker = (harness: Harness, options: Partial<WorkerOptions> = {}) =>
  startWorker(harness.ctx, {
    pool: harness.t.pool,
    log: createLog("silent"),
    concurrency: 3,
    recovery: { heartbeatMs: 200, staleAfterMs: 2000 },
    ...options,
  });

beforeAll(async () => {
  h = await createHarness([noop, gated], { maxAttempts: 2 });
  h.ctx.webhooks.allowPrivate = true;
  worker = await startTestWorker(h);
});
afterAll(async () => {
  for (const release of gates.values()) release();
  await worker.stop();
  await h.close();
});

/** Every job asks for a webhook, so its terminal event is recorded (the receiver need not exist). */
const HOOK = "http://127.0.0.1:9/hook";
const submit = (caller: Caller, prompt: string, model = "gated") =>
  submitJob({
    ctx: h.ctx,
    caller,
    scope: h.scope,
    input: { type: "image", prompt, model, webhookUrl: HOOK },
  });
const untilJob = (caller: Caller, jobId: string, done: (job: Job) => boolean) =>
  until(h, caller, jobId, done, 60_000);

async function balanceMatchesLedger(accountId: string) {
  const row = await sql<{ balance: number; ledger: number }>`
    select a.balance::int as balance, (select coalesce(sum(amount), 0)::int from credit_ledger where account_id = a.id) as ledger
    from accounts a where a.id = ${accountId}`.execute(h.t.db);
  expect(row.rows[0]!.balance).toBe(row.rows[0]!.ledger);
}

const queueEntryId = async (jobId: string) =>
  (await sql<{ id: string }>`select id::text from graphile_worker.jobs where key = ${jobId}`.execute(h.t.db))
    .rows[0]?.id;

test("a cancel aborts the running generator, and the account's only slot stays taken until it has stopped", async () => {
  const caller = await h.newCaller(); // free plan: one job at a time
  const first = await submit(caller, "render linger");
  await untilJob(caller, first.jobId, (j) => j.status === "processing");
  await expect.poll(() => logOf("render linger").started).toBe(1);

  const canceled = await cancelJob({ ctx: h.ctx, caller, scope: h.scope, input: { jobId: first.jobId } });
  expect(canceled.status).toBe("canceled");
  await expect.poll(() => logOf("render linger").aborted, { timeout: 10_000 }).toBe(1);

  // The generator is still stopping: the next job must not start. It is looked at and told to wait (its queue entry
  // is replaced by a later one), which proves a worker saw it and refused it.
  const second = await submit(caller, "next");
  const entry = await queueEntryId(second.jobId);
  await expect.poll(() => queueEntryId(second.jobId), { timeout: 20_000 }).not.toBe(entry);
  expect(logOf("next").started).toBe(0);

  open("render linger"); // the render stops now
  await expect.poll(() => logOf("next").started, { timeout: 20_000 }).toBe(1);
  expect(logOf("render linger").settled).toBe(1);
  open("next");
  expect((await untilJob(caller, second.jobId, ended)).status).toBe("completed");
  const assets = await h.t.db.selectFrom("assets").select("id").where("job_id", "=", first.jobId).execute();
  expect(assets).toEqual([]);
  const row = await h.t.db
    .selectFrom("jobs")
    .select(["status", "running_on"])
    .where("id", "=", first.jobId)
    .executeTakeFirstOrThrow();
  expect(row).toEqual({ status: "canceled", running_on: null });
  await balanceMatchesLedger(caller.accountId);
});

test("a run whose job was taken over by a later run stops and records nothing, even if it finishes", async () => {
  for (const prompt of ["paused worker", "paused deaf worker"]) {
    const caller = await h.newCaller();
    const { jobId } = await submit(caller, prompt);
    await expect.poll(() => logOf(prompt).started, { timeout: 20_000 }).toBe(1);
    // What recovery does to a paused worker's job: another start (here of a worker that then dies) takes the next
    // lease.
    await sql`update jobs set lease = lease + 1, running_on = 'a-later-pool' where id = ${jobId}`.execute(
      h.t.db,
    );
    await expect.poll(() => logOf(prompt).aborted, { timeout: 10_000 }).toBe(1);
    open(prompt); // the deaf one returns its files regardless
    await expect.poll(() => logOf(prompt).settled).toBe(1);
    const row = await h.t.db
      .selectFrom("jobs")
      .select(["status", "progress"])
      .where("id", "=", jobId)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe("processing"); // the later run's to end
    const assets = await h.t.db.selectFrom("assets").select("id").where("job_id", "=", jobId).execute();
    expect(assets).toEqual([]);
    await cancelJob({ ctx: h.ctx, caller, scope: h.scope, input: { jobId } });
    await balanceMatchesLedger(caller.accountId);
  }
});

test("a run longer than its model's timeout is stopped and the job fails with timeout, credits released", async () => {
  const h2 = await createHarness([gated], { runTimeouts: { byModel: { gated: 300 } } });
  h2.ctx.webhooks.allowPrivate = true;
  const w2 = await startTestWorker(h2, { concurrency: 1 });
  try {
    const caller = await h2.newCaller();
    const { jobId } = await submitJob({
      ctx: h2.ctx,
      caller,
      scope: h2.scope,
      input: { type: "image", prompt: "never ends", model: "gated", webhookUrl: HOOK },
    });
    const job = await until(h2, caller, jobId, ended, 60_000);
    expect(job).toMatchObject({ status: "failed", error: { code: "timeout" } });
    expect(job.error?.message).toMatch(/run timeout/);
    expect(logOf("never ends").aborted).toBe(1);
    const account = await h2.t.db
      .selectFrom("accounts")
      .select("balance")
      .where("id", "=", caller.accountId)
      .executeTakeFirstOrThrow();
    const ledger = await h2.t.db
      .selectFrom("credit_ledger")
      .select(["kind", "amount"])
      .where("job_id", "=", jobId)
      .orderBy("created_at")
      .execute();
    expect(ledger.map((e) => e.kind)).toEqual(["hold", "release"]);
    expect(Number(account.balance)).toBe(25);
    const events = await h2.t.db
      .selectFrom("webhook_events")
      .select("type")
      .where("job_id", "=", jobId)
      .execute();
    expect(events.map((e) => e.type)).toContain("job.failed");
  } finally {
    await w2.stop();
    await h2.close();
  }
});

test("a job whose last attempt's worker died fails as worker_lost, releasing its credits, with job.failed", async () => {
  const caller = await h.newCaller();
  await worker.stop(); // nobody takes it meanwhile
  const { jobId } = await submit(caller, "lost on its last attempt", "fast");
  // What a worker dying mid-run on the job's last attempt leaves: the job processing with every attempt used, its
  // queue entry locked by a pool that no longer beats.
  await sql`update jobs set status = 'processing', attempts = max_attempts, lease = max_attempts, running_on = 'dead-pool'
    where id = ${jobId}`.execute(h.t.db);
  await sql`update graphile_worker._private_jobs set locked_by = 'dead-pool', locked_at = now() - interval '1 hour',
    attempts = 2 where key = ${jobId}`.execute(h.t.db);
  await sql`update jobs set updated_at = now() - interval '1 hour' where id = ${jobId}`.execute(h.t.db);
  await restartWorker();
  const job = await untilJob(caller, jobId, ended);
  expect(job).toMatchObject({ status: "failed", error: { code: "worker_lost" } });
  const row = await h.t.db
    .selectFrom("jobs")
    .select("running_on")
    .where("id", "=", jobId)
    .executeTakeFirstOrThrow();
  expect(row.running_on).toBeNull();
  const events = await h.t.db
    .selectFrom("webhook_events")
    .select("type")
    .where("job_id", "=", jobId)
    .execute();
  expect(events.map((e) => e.type)).toContain("job.failed");
  await balanceMatchesLedger(caller.accountId);
});

test("recovery fails an accepted job that nothing in the queue will run any more", async () => {
  const caller = await h.newCaller();
  await worker.stop(); // nobody takes it meanwhile
  const { jobId } = await submit(caller, "orphan", "fast");
  await sql`select graphile_worker.remove_job(${jobId}::text)`.execute(h.t.db);
  await sql`update jobs set updated_at = now() - interval '1 hour' where id = ${jobId}`.execute(h.t.db);
  expect(await failOrphanedJobs(h.ctx, 2000)).toEqual([jobId]);
  expect(await failOrphanedJobs(h.ctx, 2000)).toEqual([]);
  await restartWorker();
  const job = await untilJob(caller, jobId, ended);
  expect(job).toMatchObject({ status: "failed", error: { code: "worker_lost" } });
  await balanceMatchesLedger(caller.accountId);
});

async function stoppingWorker(shutdownGraceMs: number): Promise<WorkerHandle> {
  await worker.stop(); // only this one takes jobs meanwhile
  return startTestWorker(h, { concurrency: 1, shutdownGraceMs });
}
const restartWorker = async () => {
  worker = await startTestWorker(h);
};

test("at shutdown a running job may finish within the grace period, and completes", async () => {
  const caller = await h.newCaller();
  const stopping = await stoppingWorker(120_000);
  const { jobId } = await submit(caller, "finishes during shutdown");
  await expect.poll(() => logOf("finishes during shutdown").started, { timeout: 20_000 }).toBe(1);
  const stopped = stopping.stop();
  open("finishes during shutdown");
  await stopped;
  expect(logOf("finishes during shutdown").aborted).toBe(0);
  const job = await untilJob(caller, jobId, ended);
  expect(job).toMatchObject({ status: "completed", attempts: 1 });
  await restartWorker();
});

test("at shutdown a job still running after the grace period goes back to the queue without spending an attempt", async () => {
  const caller = await h.newCaller();
  const stopping = await stoppingWorker(200);
  const { jobId } = await submit(caller, "stuck at shutdown");
  await expect.poll(() => logOf("stuck at shutdown").started, { timeout: 20_000 }).toBe(1);
  await stopping.stop();
  expect(logOf("stuck at shutdown").aborted).toBe(1);
  const handedBack = await h.t.db
    .selectFrom("jobs")
    .select(["status", "attempts", "running_on"])
    .where("id", "=", jobId)
    .executeTakeFirstOrThrow();
  expect(handedBack).toEqual({ status: "queued", attempts: 0, running_on: null });
  expect(await queueEntryId(jobId)).toBeDefined();

  await restartWorker();
  await expect.poll(() => logOf("stuck at shutdown").started, { timeout: 20_000 }).toBe(2);
  open("stuck at shutdown");
  const job = await untilJob(caller, jobId, ended);
  expect(job).toMatchObject({ status: "completed", attempts: 1 });
  await balanceMatchesLedger(caller.accountId);
});
