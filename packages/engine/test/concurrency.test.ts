import { createNoopGenerator, type Generator } from "@mcpmediaengine/media";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Caller } from "../src/context";
import { createLog } from "../src/logger";
import { getJob } from "../src/services/jobs/get";
import { submitJob } from "../src/services/jobs/submit";
import { startWorker, type WorkerHandle } from "../src/worker/runner";
import { createHarness, type Harness } from "./harness";

// Counts the jobs of each account running at this moment, and the most ever seen.
const running = new Map<string, number>();
const most = new Map<string, number>();
const noop = createNoopGenerator("slow");
const slow: Generator<"image"> = {
  model: "slow",
  type: "image",
  async generate(input, ctx) {
    const account = input.prompt.split(" ")[0]!;
    running.set(account, (running.get(account) ?? 0) + 1);
    most.set(account, Math.max(most.get(account) ?? 0, running.get(account)!));
    await new Promise((r) => setTimeout(r, 150));
    running.set(account, running.get(account)! - 1);
    return noop.generate(input, ctx);
  },
};

let h: Harness;
let worker: WorkerHandle;
beforeAll(async () => {
  h = await createHarness([slow]);
  worker = await startWorker(h.ctx, {
    pool: h.t.pool,
    log: createLog("silent"),
    concurrency: 8,
    recovery: { heartbeatMs: 1000, staleAfterMs: 10_000 },
  });
});
afterAll(async () => {
  await worker.stop();
  await h.close();
});

async function runAll(caller: Caller, name: string, n: number) {
  const jobs = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      submitJob({
        ctx: h.ctx,
        caller,
        scope: h.scope,
        input: { type: "image", prompt: `${name} ${i}`, model: "slow" },
      }),
    ),
  );
  await expect
    .poll(
      async () => {
        const now = await Promise.all(
          jobs.map((j) => getJob({ ctx: h.ctx, caller, scope: h.scope, input: { jobId: j.jobId } })),
        );
        return now.filter((j) => j.status === "completed").length;
      },
      { timeout: 20_000, interval: 100 },
    )
    .toBe(n);
}

test("jobs beyond the plan's concurrency wait in the queue and all complete; the limit is never exceeded", async () => {
  const free = await h.newCaller(); // free: one job at a time
  const pro = {
    ...(await h.newCaller()),
    limits: { requestsPerMinute: 600, concurrentJobs: 3, maxBatchSize: 500 },
  };
  await Promise.all([runAll(free, "free", 5), runAll(pro, "pro", 9)]);
  expect(most.get("free")).toBe(1);
  expect(most.get("pro")).toBeLessThanOrEqual(3);
});
