import type { Job } from "@mcpmediaengine/contract";
import { AppError } from "@mcpmediaengine/contract";
import { createNoopGenerator, type Generator, TransientGenerationError } from "@mcpmediaengine/media";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Caller } from "../src/context";
import { createLog } from "../src/logger";
import { ledgerSum, postCredits } from "../src/repositories/credits";
import { getAccount } from "../src/services/account/get-account";
import { cancelJob } from "../src/services/jobs/cancel";
import { getJob } from "../src/services/jobs/get";
import { submitJob } from "../src/services/jobs/submit";
import { startWorker } from "../src/worker/runner";
import { createHarness, type Harness } from "./harness";

// Models outside the catalog cost one credit a job.
const noop = createNoopGenerator("fast");
// A catalog model: 1 credit per started megapixel.
const studio = createNoopGenerator("local-studio");
/** Fails for good when the prompt says "fail", after a short wait so cancels can race it. */
const mixed: Generator<"image"> = {
  model: "mixed",
  type: "image",
  async generate(input, ctx) {
    await new Promise((r) => setTimeout(r, 5));
    if (input.prompt.startsWith("fail")) throw new TransientGenerationError("provider down");
    return noop.generate(input, ctx);
  },
};

let h: Harness;
beforeAll(async () => {
  h = await createHarness([noop, mixed, studio], { maxAttempts: 1 });
});
afterAll(() => h.close());

/** A new account whose balance is exactly `credits` (the free plan's 25 adjusted up or down). */
async function accountWith(credits: number): Promise<Caller> {
  const caller = await h.newCaller();
  const { balance } = await ledgerSum(h.t.db, caller.accountId);
  if (credits !== balance) {
    await postCredits(h.t.db, { accountId: caller.accountId, kind: "adjustment", amount: credits - balance });
  }
  return caller;
}

const submit = (caller: Caller, prompt = "x", model = "fast") =>
  submitJob({ ctx: h.ctx, caller, scope: h.scope, input: { type: "image", prompt, model } });

async function expectInvariant(accountId: string) {
  const { ledger, balance } = await ledgerSum(h.t.db, accountId);
  expect(balance).toBe(ledger);
  expect(balance).toBeGreaterThanOrEqual(0);
}

describe("holds", () => {
  test("a submission holds its cost; a new free account starts with 25 credits", async () => {
    const caller = await h.newCaller();
    expect((await getAccount({ ctx: h.ctx, caller })).balance).toBe(25);
    const job = await submit(caller);
    const account = await getAccount({ ctx: h.ctx, caller });
    expect(account).toMatchObject({ plan: "free", balance: 24, held: 1 });
    const entries = await h.t.db
      .selectFrom("credit_ledger")
      .selectAll()
      .where("job_id", "=", job.jobId)
      .execute();
    expect(entries.map((e) => [e.kind, Number(e.amount)])).toEqual([["hold", -1]]);
    await expectInvariant(caller.accountId);
  });

  test("without enough credits: 402 with the balance and the cost, and nothing written", async () => {
    const caller = await accountWith(0);
    const error = await submit(caller).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: "insufficient_credits",
      status: 402,
      details: { balance: 0, cost: 1 },
    });
    const jobs = await h.t.db
      .selectFrom("jobs")
      .select("id")
      .where("account_id", "=", caller.accountId)
      .execute();
    expect(jobs).toEqual([]);
    await expectInvariant(caller.accountId);
  });

  test("at the boundary, of 300 concurrent submissions exactly the affordable 40 are admitted", async () => {
    const caller = await accountWith(40);
    // The harness pool has 10 connections: the submissions really run side by side.
    const results = await Promise.allSettled(
      Array.from({ length: 300 }, (_, i) => submit(caller, `race ${i}`)),
    );
    const admitted = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r) => r.status === "rejected");
    expect(admitted).toHaveLength(40);
    expect(refused).toHaveLength(260);
    for (const r of refused)
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: "insufficient_credits" });
    const account = await getAccount({ ctx: h.ctx, caller });
    expect(account).toMatchObject({ balance: 0, held: 40 });
    const jobs = await h.t.db
      .selectFrom("jobs")
      .select("id")
      .where("account_id", "=", caller.accountId)
      .execute();
    expect(jobs).toHaveLength(40);
    await expectInvariant(caller.accountId);
  });

  test("concurrent submissions are each judged on what is left: a cheap one after a refused dear one gets in", async () => {
    const caller = await accountWith(5);
    const dear = { type: "image" as const, prompt: "4 MP", model: "local-studio", width: 2000, height: 2000 };
    const cheap = {
      type: "image" as const,
      prompt: "1 MP",
      model: "local-studio",
      width: 1000,
      height: 1000,
    };
    const [a, b, c] = await Promise.allSettled(
      [dear, dear, cheap].map((input) => submitJob({ ctx: h.ctx, caller, scope: h.scope, input })),
    );
    expect([a?.status, b?.status, c?.status]).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((b as PromiseRejectedResult).reason).toMatchObject({ details: { balance: 0, cost: 4 } });
    expect(await getAccount({ ctx: h.ctx, caller })).toMatchObject({ balance: 0, held: 5 });
    await expectInvariant(caller.accountId);
  });

  test("the ledger is append-only", async () => {
    await expect(sql`update credit_ledger set amount = 1000000`.execute(h.t.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from credit_ledger`.execute(h.t.db)).rejects.toThrow(/append-only/);
  });

  test("a grant of one period is made once; an adjustment never takes the balance below zero", async () => {
    const caller = await accountWith(5);
    const grant = { accountId: caller.accountId, kind: "grant" as const, amount: 400, period: "2026-11" };
    expect(await postCredits(h.t.db, grant)).toEqual({ balance: 405 });
    expect(await postCredits(h.t.db, grant)).toBeUndefined();
    await expect(
      postCredits(h.t.db, { accountId: caller.accountId, kind: "adjustment", amount: -406 }),
    ).rejects.toThrow(/check constraint/);
    expect((await ledgerSum(h.t.db, caller.accountId)).balance).toBe(405);
    await expectInvariant(caller.accountId);
  });
});

describe("settlement", () => {
  test("submissions, cancellations and failing jobs at once: every job settles once and the ledger holds", async () => {
    const caller = await accountWith(120);
    const worker = await startWorker(h.ctx, {
      pool: h.t.pool,
      log: createLog("silent"),
      concurrency: 4,
      recovery: { heartbeatMs: 1000, staleAfterMs: 10_000 },
    });
    try {
      // 150 submissions for 120 credits: a third fail, and every fourth admitted job is canceled at once.
      const outcomes = await Promise.allSettled(
        Array.from({ length: 150 }, async (_, i) => {
          const job = await submit(caller, i % 3 === 0 ? `fail ${i}` : `ok ${i}`, "mixed");
          if (i % 4 === 0) {
            await cancelJob({ ctx: h.ctx, caller, scope: h.scope, input: { jobId: job.jobId } }).catch(
              () => {},
            );
          }
          return job;
        }),
      );
      const admitted = outcomes.filter((o): o is PromiseFulfilledResult<Job> => o.status === "fulfilled");
      expect(admitted.length).toBeGreaterThanOrEqual(120);
      await expect
        .poll(
          async () => {
            const jobs = await Promise.all(
              admitted.map((o) =>
                getJob({ ctx: h.ctx, caller, scope: h.scope, input: { jobId: o.value.jobId } }),
              ),
            );
            return jobs.every((j) => ["completed", "failed", "canceled"].includes(j.status));
          },
          { timeout: 30_000, interval: 200 },
        )
        .toBe(true);
    } finally {
      await worker.stop();
    }
    const jobs = await h.t.db
      .selectFrom("jobs")
      .select(["id", "status", "cost_credits"])
      .where("account_id", "=", caller.accountId)
      .execute();
    const completed = jobs.filter((j) => j.status === "completed").length;
    expect(jobs.some((j) => j.status === "failed")).toBe(true);
    expect(jobs.some((j) => j.status === "canceled")).toBe(true);
    const account = await getAccount({ ctx: h.ctx, caller });
    // Only completed jobs cost anything; failed and canceled ones gave their credits back.
    expect(account).toMatchObject({ balance: 120 - completed, held: 0 });
    const entries = await h.t.db
      .selectFrom("credit_ledger")
      .select(["kind", "job_id"])
      .where("account_id", "=", caller.accountId)
      .where("job_id", "is not", null)
      .execute();
    for (const job of jobs) {
      const kinds = entries.filter((e) => e.job_id === job.id).map((e) => e.kind);
      expect(kinds.sort()).toEqual(job.status === "completed" ? ["capture", "hold"] : ["hold", "release"]);
    }
    await expectInvariant(caller.accountId);
  });
});
