import type { Job, JobLogs } from "@mcpmediaengine/contract";
import { afterAll, beforeAll, expect, test } from "vitest";
import { FakeProviders, json, png } from "./fake-providers";
import { eventually, startTestServer, type TestServer } from "./harness";

// OpenAI images that fail once (503) and then answer, each answer carrying its request id; fal down, so
// flux-2-turbo falls back to a self-hosted AUTOMATIC1111.
let fake: FakeProviders;
let server: TestServer;
let openAiCalls = 0;
beforeAll(async () => {
  fake = await new FakeProviders().start();
  fake.set("POST /v1/images/generations", (_request, _body, response) => {
    openAiCalls++;
    if (openAiCalls === 1)
      return json(
        response,
        503,
        { error: { message: "The engine is overloaded." } },
        { "x-request-id": "req_fail_1" },
      );
    json(
      response,
      200,
      { data: [{ b64_json: png(1024, 1024).toString("base64") }] },
      { "x-request-id": "req_ok_2" },
    );
  });
  fake.set("POST /fal-ai/", (_request, _body, response) =>
    json(response, 503, { detail: "Service temporarily unavailable" }),
  );
  fake.set("POST /sdapi/v1/txt2img", (_request, _body, response) => {
    json(response, 200, { images: [png(768, 512, "0x22aa44").toString("base64")] });
  });
  server = await startTestServer({
    env: {
      OPENAI_API_KEY: "sk-test-openai",
      OPENAI_BASE_URL: fake.url,
      FAL_KEY: "fal-test-key",
      FAL_QUEUE_URL: fake.url,
      MME_A1111_URL: fake.url,
      MME_MODEL_FALLBACKS: "flux-2-turbo=stable-diffusion",
      MME_FALLBACK_FROM_ATTEMPT: "1",
      MME_PROVIDER_POLL_MS: "20",
    },
  });
}, 60_000);
afterAll(async () => {
  await server?.stop();
  await fake?.close();
});

async function run(body: object): Promise<JobLogs["data"]> {
  const response = await server.api("/v1/jobs", { method: "POST", body: JSON.stringify(body) });
  const { jobId } = (await response.json()) as Job;
  const job = await eventually(
    async () => (await (await server.api(`/v1/jobs/${jobId}`)).json()) as Job,
    (j) => ["completed", "failed", "canceled"].includes(j.status),
    60_000,
  );
  expect(job.status).toBe("completed");
  return ((await (await server.api(`/v1/jobs/${jobId}/logs`)).json()) as JobLogs).data;
}

test("a job's log names each provider request by its id, and the retry with its reason and wait", async () => {
  const log = await run({ type: "image", prompt: "a fox", model: "gpt-image-2" });
  const requests = log.filter((l) => l.kind === "provider_request");
  expect(requests.map((l) => [l.attempt, l.details.status, l.details.requestId])).toEqual([
    [1, 503, "req_fail_1"],
    [2, 200, "req_ok_2"],
  ]);
  const retry = log.find((l) => l.kind === "retry")!;
  expect(retry.attempt).toBe(1);
  expect(retry.details).toMatchObject({ waitSeconds: expect.any(Number) });
  expect(String(retry.details.reason)).toMatch(/503|overloaded/i);
  // In order: attempt 1, its request, the retry, back to queued, attempt 2, its request, the files, completed.
  const kinds = log.map((l) => l.kind);
  expect(kinds.indexOf("retry")).toBeLessThan(kinds.lastIndexOf("attempt"));
  expect(kinds.at(-1)).toBe("status");
  expect(log.at(-1)!.message).toBe("processing -> completed");
});

test("a fallback is in the log: which model failed, why, and which took over", async () => {
  const log = await run({ type: "image", prompt: "a harbour", model: "flux-2-turbo" });
  const fallback = log.find((l) => l.kind === "fallback")!;
  expect(fallback.details).toMatchObject({ from: "flux-2-turbo", to: "stable-diffusion" });
  expect(log.find((l) => l.kind === "completed")!.details).toMatchObject({ model: "stable-diffusion" });
});
