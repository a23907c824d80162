import { AppError } from "@mcpmediaengine/contract";
import { createNoopGenerator } from "@mcpmediaengine/media";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Caller } from "../src/context";
import { cancelJob } from "../src/services/jobs/cancel";
import { getJob } from "../src/services/jobs/get";
import { listJobs } from "../src/services/jobs/list";
import { submitJob } from "../src/services/jobs/submit";
import { createHarness, type Harness } from "./harness";

let h: Harness;
let alice: Caller;
let bob: Caller;

beforeAll(async () => {
  h = await createHarness([createNoopGenerator("local-studio"), createNoopGenerator("other-model")]);
  alice = await h.newCaller();
  bob = await h.newCaller();
});
afterAll(() => h.close());

const submit = (caller: Caller, input: Record<string, unknown> = {}) =>
  submitJob({
    ctx: h.ctx,
    caller,
    scope: h.scope,
    input: { type: "image", prompt: "a lighthouse", ...input },
  });

async function queueEntry(jobId: string) {
  const rows = await sql<{ task_identifier: string; max_attempts: number }>`
    select task_identifier, max_attempts from graphile_worker.jobs where key = ${jobId}`.execute(h.t.db);
  return rows.rows[0];
}

describe("submit", () => {
  test("writes a queued job and its queue entry, with every default resolved", async () => {
    const job = await submit(alice, { preset: "blog_thumbnail", metadata: { post: 42 } });
    expect(job).toMatchObject({
      type: "image",
      model: "local-studio",
      status: "queued",
      attempts: 0,
      result: null,
      error: null,
      metadata: { post: 42 },
      input: { prompt: "a lighthouse", preset: "blog_thumbnail", width: 1200, height: 630, format: "png" },
    });
    expect(job.input.seed).toEqual(expect.any(Number));
    expect(job.cost.credits).toBeGreaterThan(0);
    // The job has 3 attempts; its queue entry one start more, to notice a lost last attempt.
    expect(await queueEntry(job.jobId)).toEqual({ task_identifier: "mme.generate", max_attempts: 4 });
  });

  test("keeps a given seed and explicit size over the preset's", async () => {
    const job = await submit(alice, {
      preset: "social_post",
      width: 640,
      height: 480,
      seed: 7,
      format: "webp",
    });
    expect(job.input).toMatchObject({
      width: 640,
      height: 480,
      seed: 7,
      format: "webp",
      preset: "social_post",
    });
  });

  test("refuses an unavailable model with the available ones, writing nothing", async () => {
    const before = await h.t.db
      .selectFrom("jobs")
      .select(sql<number>`count(*)::int`.as("n"))
      .executeTakeFirstOrThrow();
    const error = await submit(alice, { model: "gpt-image-2" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("model_unavailable");
    expect((error as AppError).details).toEqual({
      model: "gpt-image-2",
      available: ["local-studio", "other-model"],
    });
    const after = await h.t.db
      .selectFrom("jobs")
      .select(sql<number>`count(*)::int`.as("n"))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  test("leaves neither row nor queue entry when the enqueue fails inside the transaction", async () => {
    await sql`create function refuse_job() returns trigger language plpgsql as $$
      begin raise exception 'queue refused'; end $$`.execute(h.t.db);
    await sql`create trigger refuse before insert on graphile_worker._private_jobs
      for each row execute function refuse_job()`.execute(h.t.db);
    try {
      const countJobs = async () =>
        (await h.t.db.selectFrom("jobs").select(sql<number>`count(*)::int`.as("n")).executeTakeFirstOrThrow())
          .n;
      const before = await countJobs();
      await expect(submit(alice, { prompt: "never stored" })).rejects.toThrow(/queue refused/);
      expect(await countJobs()).toBe(before);
      const stray = await h.t.db
        .selectFrom("jobs")
        .select("id")
        .where(sql`input->>'prompt'`, "=", "never stored")
        .execute();
      expect(stray).toEqual([]);
    } finally {
      await sql`drop trigger refuse on graphile_worker._private_jobs`.execute(h.t.db);
    }
  });
});

describe("get, list and cancel", () => {
  test("an account sees its own jobs and never another's", async () => {
    const job = await submit(alice);
    expect(
      (await getJob({ ctx: h.ctx, caller: alice, scope: h.scope, input: { jobId: job.jobId } })).jobId,
    ).toBe(job.jobId);
    await expect(
      getJob({ ctx: h.ctx, caller: bob, scope: h.scope, input: { jobId: job.jobId } }),
    ).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(
      cancelJob({ ctx: h.ctx, caller: bob, scope: h.scope, input: { jobId: job.jobId } }),
    ).rejects.toMatchObject({
      code: "not_found",
    });
    const bobs = await listJobs({ ctx: h.ctx, caller: bob, scope: h.scope, input: { limit: 100 } });
    expect(bobs.data.map((j) => j.jobId)).not.toContain(job.jobId);
    expect(
      (await getJob({ ctx: h.ctx, caller: alice, scope: h.scope, input: { jobId: job.jobId } })).status,
    ).toBe("queued");
  });

  test("lists newest first, pages with a cursor, and filters", async () => {
    const carol = await h.newCaller();
    const made = [];
    for (let i = 0; i < 5; i++)
      made.push(await submit(carol, { model: i % 2 === 0 ? "local-studio" : "other-model" }));
    const ids = made.map((j) => j.jobId).reverse();

    const first = await listJobs({ ctx: h.ctx, caller: carol, scope: h.scope, input: { limit: 2 } });
    expect(first.data.map((j) => j.jobId)).toEqual(ids.slice(0, 2));
    const second = await listJobs({
      ctx: h.ctx,
      caller: carol,
      scope: h.scope,
      input: { limit: 2, cursor: first.nextCursor! },
    });
    expect(second.data.map((j) => j.jobId)).toEqual(ids.slice(2, 4));
    const third = await listJobs({
      ctx: h.ctx,
      caller: carol,
      scope: h.scope,
      input: { limit: 2, cursor: second.nextCursor! },
    });
    expect(third.data.map((j) => j.jobId)).toEqual(ids.slice(4));
    expect(third.nextCursor).toBeNull();

    const other = await listJobs({
      ctx: h.ctx,
      caller: carol,
      scope: h.scope,
      input: { limit: 20, model: "other-model" },
    });
    expect(other.data).toHaveLength(2);
    await cancelJob({ ctx: h.ctx, caller: carol, scope: h.scope, input: { jobId: made[0]!.jobId } });
    const canceled = await listJobs({
      ctx: h.ctx,
      caller: carol,
      scope: h.scope,
      input: { limit: 20, status: "canceled" },
    });
    expect(canceled.data.map((j) => j.jobId)).toEqual([made[0]!.jobId]);
    const future = await listJobs({
      ctx: h.ctx,
      caller: carol,
      scope: h.scope,
      input: { limit: 20, createdAfter: new Date(Date.now() + 60_000).toISOString() },
    });
    expect(future.data).toEqual([]);
    const past = await listJobs({
      ctx: h.ctx,
      caller: carol,
      scope: h.scope,
      input: { limit: 20, createdBefore: made[2]!.createdAt },
    });
    expect(past.data.map((j) => j.jobId).sort()).toEqual(
      made
        .slice(0, 2)
        .map((j) => j.jobId)
        .sort(),
    );
    await expect(
      listJobs({ ctx: h.ctx, caller: carol, scope: h.scope, input: { limit: 2, cursor: "garbage" } }),
    ).rejects.toMatchObject({ code: "invalid_request" });
  });

  test("cancel takes a queued job off the queue; a second cancel is a conflict", async () => {
    const job = await submit(alice);
    const canceled = await cancelJob({
      ctx: h.ctx,
      caller: alice,
      scope: h.scope,
      input: { jobId: job.jobId },
    });
    expect(canceled.status).toBe("canceled");
    expect(canceled.completedAt).not.toBeNull();
    expect(await queueEntry(job.jobId)).toBeUndefined();
    await expect(
      cancelJob({ ctx: h.ctx, caller: alice, scope: h.scope, input: { jobId: job.jobId } }),
    ).rejects.toMatchObject({
      code: "job_not_cancelable",
      status: 409,
    });
  });
});
