import type { Job } from "@mcpmediaengine/contract";
import parsePrometheusTextFormat, { type ParsedFamily } from "parse-prometheus-text-format";
import { afterAll, beforeAll, expect, test } from "vitest";
import { FakeProviders, json, png } from "./fake-providers";
import { startTestServer, type TestServer, waitForJob } from "./harness";
import { WebhookReceiver } from "./webhook-receiver";

const TOKEN = "metrics-token-for-tests-0001";

let server: TestServer;
let fake: FakeProviders;
let hooks: WebhookReceiver;
let openAiCalls = 0;

beforeAll(async () => {
  fake = await new FakeProviders().start();
  // The first request is refused with a 429 and a short Retry-After (waited out in place), the next answered.
  fake.set("POST /v1/images/generations", (_request, _body, response) => {
    if (openAiCalls++ === 0)
      return json(response, 429, { error: { message: "Rate limit reached" } }, { "retry-after-ms": "10" });
    json(response, 200, { data: [{ b64_json: png(1024, 1024).toString("base64") }] });
  });
  hooks = await new WebhookReceiver().start();
  server = await startTestServer({
    env: { MME_METRICS_TOKEN: TOKEN, OPENAI_API_KEY: "sk-test-openai", OPENAI_BASE_URL: fake.url },
  });
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await hooks?.stop();
  await fake?.close();
});

interface Page {
  text: string;
  families: ParsedFamily[];
}

/** The metrics page, as a Prometheus text-format parser reads it (it throws on a line it cannot read). */
async function scrape(base = server.url): Promise<Page> {
  const response = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return parse(await response.text());
}

function parse(text: string): Page {
  return { text, families: parsePrometheusTextFormat(text) };
}

/**
 * One sample's value, 0 when the series does not exist yet. For a histogram, its observation count: the parser
 * folds a labeled histogram's series together, so that count is read from the family's `_count` line.
 */
function sample(page: Page, name: string, labels: Record<string, string> = {}): number {
  const family = page.families.find((f) => f.name === name);
  const matches = (found: Record<string, string> | undefined) =>
    Object.entries(labels).every(([k, v]) => found?.[k] === v);
  if (family?.type === "HISTOGRAM") {
    const counts = page.text.split("\n").filter((line) => line.startsWith(`${name}_count{`));
    const found = counts.find((line) => matches(labelsOf(line)));
    return found ? Number(found.split(" ").pop()) : 0;
  }
  const found = family?.metrics.find((m) => matches(m.labels));
  return found ? Number(found.value) : 0;
}

function labelsOf(line: string): Record<string, string> {
  const inside = line.slice(line.indexOf("{") + 1, line.lastIndexOf("}"));
  return Object.fromEntries([...inside.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
}

const submit = async (body: object) => {
  const response = await server.api("/v1/jobs", { method: "POST", body: JSON.stringify(body) });
  expect(response.status).toBe(202);
  return (await response.json()) as Job;
};

test("counters move with real jobs: submitted, completed, failed by code, credits, wait and run times, webhooks, provider 429s", async () => {
  const before = await scrape();
  expect(sample(before, "mme_jobs_submitted_total", { model: "dev-noop" })).toBe(0);

  const noop = await submit({
    type: "image",
    prompt: "counted",
    model: "dev-noop",
    webhookUrl: `${hooks.url}/counted`,
  });
  const failing = await submit({ type: "image", prompt: "no", model: "dev-fail" });
  const hosted = await submit({
    type: "image",
    prompt: "hosted",
    model: "gpt-image-2",
    width: 1024,
    height: 1024,
  });
  expect((await waitForJob(server, noop.jobId)).status).toBe("completed");
  expect((await waitForJob(server, failing.jobId)).status).toBe("failed");
  expect((await waitForJob(server, hosted.jobId)).status).toBe("completed");
  await hooks.waitFor("/counted", 1);
  // The delivery is counted once its attempt is recorded, a moment after the receiver answered.
  await expect
    .poll(async () => sample(await scrape(), "mme_webhook_deliveries_total", { outcome: "succeeded" }))
    .toBe(1);

  const page = await scrape();
  const { text } = page;
  const image = (model: string) => ({ type: "image", model });
  expect(sample(page, "mme_jobs_submitted_total", image("dev-noop"))).toBe(1);
  expect(sample(page, "mme_jobs_submitted_total", image("dev-fail"))).toBe(1);
  expect(sample(page, "mme_jobs_submitted_total", image("gpt-image-2"))).toBe(1);
  expect(sample(page, "mme_jobs_completed_total", image("dev-noop"))).toBe(1);
  expect(sample(page, "mme_jobs_completed_total", image("gpt-image-2"))).toBe(1);
  expect(sample(page, "mme_jobs_failed_total", { ...image("dev-fail"), code: "generation_failed" })).toBe(1);
  expect(sample(page, "mme_jobs_completed_total", image("dev-fail"))).toBe(0);
  expect(sample(page, "mme_credits_spent_total", image("gpt-image-2"))).toBe(hosted.cost.credits);
  expect(sample(page, "mme_job_wait_seconds", image("dev-noop"))).toBe(1);
  expect(sample(page, "mme_job_run_seconds", { model: "gpt-image-2", outcome: "ok" })).toBe(1);
  expect(sample(page, "mme_job_run_seconds", { model: "dev-fail", outcome: "permanent_error" })).toBe(1);
  expect(sample(page, "mme_webhook_delivery_duration_seconds", { outcome: "succeeded" })).toBe(1);
  expect(sample(page, "mme_provider_requests_total", { provider: "openai", outcome: "rate_limited" })).toBe(
    1,
  );
  expect(sample(page, "mme_provider_requests_total", { provider: "openai", outcome: "ok" })).toBe(1);
  expect(sample(page, "mme_provider_request_duration_seconds", { provider: "openai" })).toBe(2);

  // Requests by route pattern and status: three submissions, polls of each job, never an id in a label.
  expect(sample(page, "mme_http_requests_total", { method: "POST", route: "/v1/jobs", status: "202" })).toBe(
    3,
  );
  expect(sample(page, "mme_http_request_duration_seconds", { method: "POST", route: "/v1/jobs" })).toBe(3);
  expect(
    sample(page, "mme_http_requests_total", { method: "GET", route: "/v1/jobs/{jobId}", status: "200" }),
  ).toBeGreaterThanOrEqual(3);
  for (const id of [noop.jobId, failing.jobId, hosted.jobId]) expect(text).not.toContain(id);
  expect(text).not.toContain(server.key);
  expect(text).not.toContain(TOKEN);
});

test("unknown paths and bad input are counted under bounded labels", async () => {
  expect((await server.api("/v1/jobs/job_nope/../../etc")).status).toBe(404);
  expect((await server.api("/v1/no/such/route/12345")).status).toBe(404);
  expect((await server.api("/v1/jobs", { method: "POST", body: "{" })).status).toBe(400);
  expect((await fetch(`${server.url}/healthz`, { method: "PROPFIND" })).status).toBe(404);
  const page = await scrape();
  const { text } = page;
  expect(
    sample(page, "mme_http_requests_total", { route: "unmatched", status: "404" }),
  ).toBeGreaterThanOrEqual(2);
  expect(sample(page, "mme_http_requests_total", { method: "POST", route: "/v1/jobs", status: "400" })).toBe(
    1,
  );
  expect(sample(page, "mme_http_requests_total", { method: "OTHER", route: "unmatched" })).toBe(1);
  expect(text).not.toContain("12345");
  expect(text).not.toContain("PROPFIND");
});

test("worker slots, database pools and the process's own metrics are on the page", async () => {
  const page = await scrape();
  const { families } = page;
  expect(sample(page, "mme_worker_slots", { runner: "job" })).toBe(2);
  expect(sample(page, "mme_worker_slots", { runner: "webhook" })).toBe(16);
  await expect.poll(async () => sample(await scrape(), "mme_worker_slots_busy", { runner: "job" })).toBe(0);
  expect(sample(page, "mme_db_pool_max", { pool: "main" })).toBe(20);
  expect(sample(page, "mme_db_pool_max", { pool: "queue" })).toBe(2 + 16 + 2);
  expect(families.find((f) => f.name === "mme_db_pool_connections")?.metrics.length).toBeGreaterThan(0);
  expect(families.find((f) => f.name === "process_cpu_user_seconds_total")).toBeDefined();
  expect(families.find((f) => f.name === "nodejs_eventloop_lag_seconds")).toBeDefined();
});

test("with MME_METRICS_TOKEN the page wants the token", async () => {
  const none = await fetch(`${server.url}/metrics`);
  expect(none.status).toBe(401);
  expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
  expect(((await none.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
  const wrong = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}x` } });
  expect(wrong.status).toBe(401);
  // An API key is not the metrics token.
  const apiKey = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${server.key}` } });
  expect(apiKey.status).toBe(401);
});

test("queue depth comes from the database: an API process that runs no job reports the jobs waiting", async () => {
  const api = await startTestServer({ role: "api" });
  try {
    for (let i = 0; i < 3; i++) {
      const response = await api.api("/v1/jobs", {
        method: "POST",
        body: JSON.stringify({ type: "image", prompt: `waiting ${i}`, model: "dev-noop" }),
      });
      expect(response.status).toBe(202);
    }
    const page = parse(await (await fetch(`${api.url}/metrics`)).text());
    expect(sample(page, "mme_queue_jobs", { task: "generate", state: "ready" })).toBe(3);
    expect(sample(page, "mme_queue_jobs", { task: "generate", state: "running" })).toBe(0);
    expect(sample(page, "mme_queue_oldest_ready_seconds", { task: "generate" })).toBeGreaterThan(0);
    // No worker in this process: no slots to report.
    expect(page.families.find((f) => f.name === "mme_worker_slots")?.metrics ?? []).toEqual([]);
  } finally {
    await api.stop();
  }
});

test("MME_METRICS_PORT serves the page on a port of its own, and the API port no longer does", async () => {
  const own = await startTestServer({ env: { MME_METRICS_PORT: "0" } });
  try {
    expect(own.metricsUrl).toBeDefined();
    expect((await fetch(`${own.url}/metrics`)).status).toBe(404);
    const page = await fetch(`${own.metricsUrl}/metrics`);
    expect(page.status).toBe(200);
    expect(parse(await page.text()).families.some((f) => f.name === "mme_jobs_submitted_total")).toBe(true);
    expect((await fetch(`${own.metricsUrl}/v1/jobs`)).status).toBe(404);
  } finally {
    await own.stop();
  }
});

test("MME_METRICS=0 counts nothing and serves no page", async () => {
  const off = await startTestServer({ env: { MME_METRICS: "0" } });
  try {
    expect((await fetch(`${off.url}/metrics`)).status).toBe(404);
    expect(off.engine.metrics.enabled).toBe(false);
    expect((await off.engine.metrics.registry.metrics()).trim()).toBe("");
  } finally {
    await off.stop();
  }
});
