import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import type { Job } from "@mcpmediaengine/contract";
import {
  createNoopGenerator,
  type Generator,
  PermanentGenerationError,
  TransientGenerationError,
} from "@mcpmediaengine/media";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { LocalAssetStore } from "../src/assets/local-store";
import type { Caller } from "../src/context";
import { createLog } from "../src/logger";
import { cancelJob } from "../src/services/jobs/cancel";
import { getJob } from "../src/services/jobs/get";
import { submitJob } from "../src/services/jobs/submit";
import { startWorker, type WorkerHandle } from "../src/worker/runner";
import { createHarness, ended, type Harness, until } from "./harness";

const noop = createNoopGenerator("fast");
const calls = new Map<string, number>();
const count = (prompt: string) => {
  const n = (calls.get(prompt) ?? 0) + 1;
  calls.set(prompt, n);
  return n;
};

/** Behaves by prompt: "flaky" fails once then works, "broken" always fails transiently, "refused" fails for good. */
const scripted: Generator<"image"> = {
  model: "scripted",
  type: "image",
  async generate(input, ctx) {
    const n = count(input.prompt);
    if (input.prompt === "flaky" && n === 1) throw new TransientGenerationError("provider busy");
    if (input.prompt === "broken") throw new TransientGenerationError("provider down");
    if (input.prompt === "refused") throw new PermanentGenerationError("content_policy", "refused by policy");
    if (input.prompt.startsWith("slow")) await new Promise((r) => setTimeout(r, 800));
    if (input.prompt.startsWith("long")) await new Promise((r) => setTimeout(r, 3000));
    return noop.generate(input, ctx);
  },
};

let h: Harness;
let caller: Caller;
let worker: WorkerHandle;

beforeAll(async () => {
  h = await createHarness([noop, scripted], { maxAttempts: 2 });
  caller = await h.newCaller();
  worker = await startWorker(h.ctx, {
    pool: h.t.pool,
    log: createLog("silent"),
    concurrency: 2,
    recovery: { heartbeatMs: 200, staleAfterMs: 2000 },
  });
});
afterAll(async () => {
  await worker.stop();
  await h.close();
});

const submit = (model: string, prompt: string) =>
  submitJob({ ctx: h.ctx, caller, scope: h.scope, input: { type: "image", prompt, model } });

const untilJob = (jobId: string, done: (job: Job) => boolean) => until(h, caller, jobId, done, 20_000);

test("a job runs to completed with a stored, signed, content-addressed asset", async () => {
  const job = await untilJob((await submit("fast", "one pixel")).jobId, ended);
  expect(job.status).toBe("completed");
  expect(job.attempts).toBe(1);
  expect(job.startedAt).not.toBeNull();
  const asset = job.result!.assets[0]!;
  expect(asset).toMatchObject({ mimeType: "image/png", width: 1, height: 1 });
  expect(asset.url).toMatch(new RegExp(`^http://engine\\.test/assets/${asset.assetId}\\.png\\?sig=`));
  expect(asset.expiresAt).toBeNull(); // no retention set
  const path = (h.ctx.assets as LocalAssetStore).pathOf(asset.sha256);
  expect(existsSync(path)).toBe(true);
  const bytes = readFileSync(path);
  expect(createHash("sha256").update(bytes).digest("hex")).toBe(asset.sha256);
  expect(bytes.length).toBe(asset.bytes);
});

test("a transient failure is retried and the job then completes", async () => {
  const job = await untilJob((await submit("scripted", "flaky")).jobId, ended);
  expect(job.status).toBe("completed");
  expect(job.attempts).toBe(2);
});

test("a permanent failure fails at once with its code", async () => {
  const job = await untilJob((await submit("scripted", "refused")).jobId, ended);
  expect(job).toMatchObject({
    status: "failed",
    attempts: 1,
    error: { code: "content_policy", message: "refused by policy" },
  });
  expect(job.result).toBeNull();
});

test("a job that runs out of attempts fails with attempts_exhausted", async () => {
  const job = await untilJob((await submit("scripted", "broken")).jobId, ended);
  expect(job.status).toBe("failed");
  expect(job.attempts).toBe(2);
  expect(job.error?.code).toBe("attempts_exhausted");
  expect(job.error?.message).toMatch(/provider down/);
});

test("a job canceled while it runs stays canceled and keeps no assets", async () => {
  const { jobId } = await submit("scripted", "slow cancel");
  await untilJob(jobId, (j) => j.status === "processing");
  await cancelJob({ ctx: h.ctx, caller, scope: h.scope, input: { jobId } });
  // The run has stopped once it gives its slot back.
  await expect
    .poll(
      async () =>
        (await h.t.db.selectFrom("jobs").select("running_on").where("id", "=", jobId).executeTakeFirst())
          ?.running_on,
      { timeout: 20_000 },
    )
    .toBeNull();
  const job = await getJob({ ctx: h.ctx, caller, scope: h.scope, input: { jobId } });
  expect(job.status).toBe("canceled");
  const assets = await h.t.db.selectFrom("assets").select("id").where("job_id", "=", jobId).execute();
  expect(assets).toEqual([]);
});

// Regression: the heartbeat was written for graphile-worker's worker ids while jobs are locked in the name of
// the worker pool, so the sweep took a live worker for dead and ran its long job a second time.
test("a job that runs longer than the stale time on a live worker runs once", async () => {
  const { jobId } = await submit("scripted", "long job");
  const job = await untilJob(jobId, ended);
  expect(job.status).toBe("completed");
  expect(job.attempts).toBe(1);
  expect(calls.get("long job")).toBe(1);
});
