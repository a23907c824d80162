import type { Job } from "@mcpmediaengine/contract";
import {
  createNoopGenerator,
  type Generator,
  PermanentGenerationError,
  ProviderAccountError,
  TransientGenerationError,
} from "@mcpmediaengine/media";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Caller } from "../src/context";
import { createLog } from "../src/logger";
import { getAccount } from "../src/services/account/get-account";
import { submitJob } from "../src/services/jobs/submit";
import { startWorker, type WorkerHandle } from "../src/worker/runner";
import { createHarness, ended, type Harness, until } from "./harness";

const tried: string[] = [];
/** A provider that is down: "refused" prompts are refused for good, everything else fails as if unreachable. */
const down: Generator<"image"> = {
  model: "dev-down",
  type: "image",
  provider: "fal",
  async generate(input) {
    tried.push(`dev-down:${input.prompt}`);
    if (input.prompt === "refused") throw new PermanentGenerationError("content_policy", "refused by policy");
    throw new TransientGenerationError("fal is unreachable");
  },
};
const backup: Generator<"image"> = { ...createNoopGenerator("dev-backup"), provider: "stability" };
/** A provider whose account is empty: it refuses every job, as fal does once the balance is exhausted. */
const broke = (model: string): Generator<"image"> => ({
  model,
  type: "image",
  provider: "fal",
  async generate(input) {
    tried.push(`${model}:${input.prompt}`);
    throw new ProviderAccountError(
      "fal",
      "credit_exhausted",
      "fal answered HTTP 403: User is locked. Reason: Exhausted balance.",
    );
  },
});
const logLines: string[] = [];
let release: () => void = () => undefined;
/** Reports half-way, then waits to be released: the job's progress can be read while it runs. */
const halfway: Generator<"image"> = {
  model: "dev-halfway",
  type: "image",
  async generate(input, ctx) {
    ctx.onProgress?.(0.5);
    await new Promise<void>((resolve) => {
      release = resolve;
    });
    return createNoopGenerator().generate(input, ctx);
  },
};

let h: Harness;
let caller: Caller;
let worker: WorkerHandle;
beforeAll(async () => {
  h = await createHarness(
    [down, backup, halfway, broke("dev-broke"), broke("dev-broke-too"), broke("dev-alone")],
    {
      maxAttempts: 3,
      fallbacks: { "dev-down": ["dev-backup"], "dev-broke": ["dev-broke-too", "dev-backup"] },
      fallbackFromAttempt: 2,
    },
  );
  caller = await h.newCaller();
  worker = await startWorker(h.ctx, {
    pool: h.t.pool,
    log: createLog("error", (line) => logLines.push(line)),
    concurrency: 2,
    recovery: { heartbeatMs: 200, staleAfterMs: 2000 },
  });
});
afterAll(async () => {
  await worker?.stop();
  await h.close();
});

const submit = (model: string, prompt: string) =>
  submitJob({ ctx: h.ctx, caller, scope: h.scope, input: { type: "image", prompt, model } });
const untilJob = (jobId: string, done: (job: Job) => boolean) => until(h, caller, jobId, done, 30_000);

test("a provider that stays down hands the job to the model's fallback, and the job says who served it", async () => {
  const submitted = await submit("dev-down", "a lighthouse");
  expect(submitted.servedBy).toBeNull();
  const job = await untilJob(submitted.jobId, ended);
  expect(job.status).toBe("completed");
  expect(job.model).toBe("dev-down");
  expect(job.servedBy).toEqual({ model: "dev-backup", provider: "stability" });
  // The first attempt is the model's own; the fallback takes over from the second.
  expect(job.attempts).toBe(2);
  expect(tried.filter((t) => t === "dev-down:a lighthouse")).toHaveLength(2);
  // It costs what was accepted: the price of the model asked for.
  expect(job.cost.credits).toBe(submitted.cost.credits);
});

test("a content-policy refusal is not retried elsewhere", async () => {
  const job = await untilJob((await submit("dev-down", "refused")).jobId, ended);
  expect(job.status).toBe("failed");
  expect(job.error?.code).toBe("content_policy");
  expect(tried.filter((t) => t === "dev-down:refused")).toHaveLength(1);
});

test("a running job shows the progress its generator reports; a completed one shows 1", async () => {
  const { jobId } = await submit("dev-halfway", "progress");
  const running = await untilJob(jobId, (job) => job.progress > 0);
  expect(running).toMatchObject({ status: "processing", progress: 0.5 });
  release();
  const done = await untilJob(jobId, ended);
  expect(done).toMatchObject({
    status: "completed",
    progress: 1,
    servedBy: { model: "dev-halfway", provider: "local" },
  });
});

test("a provider refusing our account hands the job to its fallbacks at once, skipping that provider's other models", async () => {
  const submitted = await submit("dev-broke", "a harbour");
  const job = await untilJob(submitted.jobId, ended);
  expect(job).toMatchObject({
    status: "completed",
    servedBy: { model: "dev-backup", provider: "stability" },
  });
  // No retry on the same provider, and no wait for the second attempt: the first one moved on.
  expect(job.attempts).toBe(1);
  expect(tried.filter((t) => t.endsWith(":a harbour"))).toEqual(["dev-broke:a harbour"]);
  expect(job.cost.credits).toBe(submitted.cost.credits);
});

test("with no fallback, a refusal fails the job at once with provider_error and gives its credits back", async () => {
  const balance = async () => (await getAccount({ ctx: h.ctx, caller })).balance;
  const before = await balance();
  const job = await untilJob((await submit("dev-alone", "a pier")).jobId, ended);
  expect(job).toMatchObject({ status: "failed", attempts: 1, error: { code: "provider_error" } });
  expect(job.error?.message).toContain("Exhausted balance");
  expect(await balance()).toBe(before);
});

test("many jobs hitting the same refusal leave the operator one line that says what to do", async () => {
  const jobs = await Promise.all(["a", "b", "c", "d"].map((p) => submit("dev-alone", `refused ${p}`)));
  for (const { jobId } of jobs) await untilJob(jobId, ended);
  const lines = logLines.filter((line) => line.includes("refuses our account"));
  // One line for the process, however many jobs: the first refusal of the file's tests wrote it.
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain("fal refuses our account (credit_exhausted)");
  expect(lines[0]).toContain("Exhausted balance");
  expect(lines[0]).toContain("MME_MODEL_FALLBACKS");
});
