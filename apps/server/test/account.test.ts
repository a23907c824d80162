import type { Account, JobEstimate, ModelList } from "@mcpmediaengine/contract";
import { ensureStartupKey } from "@mcpmediaengine/engine";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestServer, type TestServer, waitForJob } from "./harness";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const json = async <T>(response: Response): Promise<T> => (await response.json()) as T;

test("the bootstrap key's account is enterprise with a million credits, granted once however often it starts", async () => {
  await ensureStartupKey({ ctx: server.engine, bootstrapKey: server.key });
  const account = await json<Account>(await server.api("/v1/account"));
  expect(account).toMatchObject({ plan: "enterprise", balance: 1_000_000, held: 0 });
  expect(account.limits.requestsPerMinute).toBeGreaterThan(1000);
});

test("a new account is free with 25 credits; a job holds, completes and is counted as this month's use", async () => {
  const key = await server.newKey();
  const before = await json<Account>(await server.api("/v1/account", { key }));
  expect(before).toMatchObject({
    plan: "free",
    balance: 25,
    held: 0,
    usage: { creditsSpent: 0, jobsCompleted: 0 },
  });
  expect(before.limits).toEqual({ requestsPerMinute: 30, concurrentJobs: 1, maxBatchSize: 10 });

  const submitted = await server.api("/v1/jobs", {
    key,
    method: "POST",
    body: JSON.stringify({ type: "image", prompt: "A 2 MP image costs 2", width: 2000, height: 1000 }),
  });
  expect(submitted.status).toBe(202);
  const job = await json<{ jobId: string; cost: { credits: number } }>(submitted);
  expect(job.cost.credits).toBe(2);
  await waitForJob({ ...server, api: (path, init) => server.api(path, { ...init, key }) }, job.jobId);
  const after = await json<Account>(await server.api("/v1/account", { key }));
  expect(after).toMatchObject({ balance: 23, held: 0, usage: { creditsSpent: 2, jobsCompleted: 1 } });
});

test("402 insufficient_credits names the balance and the cost", async () => {
  const key = await server.newKey();
  const big = { type: "image", prompt: "too big", width: 2048, height: 2048 }; // 5 MP: 5 credits
  for (let i = 0; i < 5; i++) {
    expect((await server.api("/v1/jobs", { key, method: "POST", body: JSON.stringify(big) })).status).toBe(
      202,
    );
  }
  const refused = await server.api("/v1/jobs", { key, method: "POST", body: JSON.stringify(big) });
  expect(refused.status).toBe(402);
  const body = await json<{ error: { code: string; details: unknown; message: string } }>(refused);
  expect(body.error).toMatchObject({ code: "insufficient_credits", details: { balance: 0, cost: 5 } });
});

test("GET /v1/models lists every model with its cost rule and availability", async () => {
  const { data } = await json<ModelList>(await server.api("/v1/models"));
  const byId = Object.fromEntries(data.map((m) => [m.id, m]));
  expect(byId["local-studio"]).toMatchObject({
    available: true,
    provider: "local",
    cost: { credits: 1, unit: "megapixel" },
  });
  expect(byId["local-motion"]).toMatchObject({
    type: "video",
    available: true,
    cost: { credits: 1, unit: "second" },
  });
  expect(byId["local-voice"]).toMatchObject({
    type: "audio",
    available: true,
    cost: { unit: "kilocharacter" },
    voices: ["en-us-female", "en-us-male", "en-gb-female", "en-gb-male"],
  });
  expect(byId["gpt-image-2"]).toMatchObject({
    available: false,
    reason: expect.stringMatching(/OPENAI_API_KEY/),
    cost: { credits: 4, unit: "megapixel" },
  });
  expect(Object.keys(byId)).toEqual(expect.arrayContaining(["flux-2-turbo", "seedance", "stable-diffusion"]));
});

test("POST /v1/jobs/estimate prices a job without submitting it", async () => {
  const before = await json<Account>(await server.api("/v1/account"));
  const estimate = await server.api("/v1/jobs/estimate", {
    method: "POST",
    body: JSON.stringify({
      type: "image",
      prompt: "priced",
      model: "gpt-image-2",
      width: 1536,
      height: 1024,
    }),
  });
  expect(estimate.status).toBe(200);
  expect(await json<JobEstimate>(estimate)).toMatchObject({
    model: "gpt-image-2",
    credits: 8,
    available: false,
  });
  const after = await json<Account>(await server.api("/v1/account"));
  expect(after.balance).toBe(before.balance);

  const unknown = await server.api("/v1/jobs/estimate", {
    method: "POST",
    body: JSON.stringify({ type: "image", prompt: "x", model: "no-such-model" }),
  });
  expect(unknown.status).toBe(422);
});
