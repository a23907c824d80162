import { execFileSync } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";

// The built package, as consumers load it: `import` gets dist/index.js, `require` dist/index.cjs.
type Sdk = typeof import("../src/index");
// Paths in variables: dist is built by the test script, after type-checking.
const esm = "../dist/index.js";
const cjs = "../dist/index.cjs";
const formats: [string, () => Promise<Sdk>][] = [
  ["ESM", async () => (await import(esm)) as Sdk],
  ["CJS", async () => createRequire(import.meta.url)(cjs) as Sdk],
];

/** A scripted engine: each call gets the next answer, and every request is kept. */
function scripted(answers: (Response | Error)[]) {
  const requests: { url: string; init: RequestInit }[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    requests.push({ url, init });
    const next = answers.shift();
    if (!next) throw new Error("no more answers");
    if (next instanceof Error) throw next;
    return next;
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
const error = (code: string, requestId = "req_test") => ({
  error: { code, message: `a ${code}`, requestId },
});

const JOB = {
  jobId: "job_01m8000000aaaaaaaaaaaaaa",
  type: "image",
  model: "local-studio",
  status: "completed",
  progress: 1,
  input: { prompt: "x", preset: null, width: 64, height: 64, format: "png", seed: 1 },
  createdAt: "2026-11-24T10:00:00.000Z",
  startedAt: "2026-11-24T10:00:00.100Z",
  completedAt: "2026-11-24T10:00:00.200Z",
  attempts: 1,
  cost: { credits: 1 },
  result: { assets: [] },
  error: null,
  servedBy: { model: "local-studio", provider: "local" },
  webhookUrl: null,
  metadata: {},
  batchId: null,
  customId: null,
};

for (const [format, load] of formats) {
  describe(`the built SDK (${format})`, () => {
    test("retries a 503 after its Retry-After with the same Idempotency-Key, and returns the job", async () => {
      const { MediaEngine } = await load();
      const engine = scripted([
        json(503, error("service_unavailable"), { "retry-after": "0" }),
        json(202, JOB),
      ]);
      const client = new MediaEngine({
        apiKey: "mme_sk_x",
        baseUrl: "http://engine.test/",
        fetch: engine.fetch,
      });
      const job = await client.jobs.create({ type: "image", prompt: "x" });
      expect(job.jobId).toBe(JOB.jobId);
      expect(engine.requests).toHaveLength(2);
      const keys = engine.requests.map((r) => (r.init.headers as Record<string, string>)["idempotency-key"]);
      expect(keys[0]).toMatch(/^sdk_/);
      expect(keys[1]).toBe(keys[0]);
      expect(engine.requests[0]!.url).toBe("http://engine.test/v1/jobs");
      expect((engine.requests[0]!.init.headers as Record<string, string>).authorization).toBe(
        "Bearer mme_sk_x",
      );
    });

    test("calls that change something carry one Idempotency-Key through their retries", async () => {
      const { MediaEngine } = await load();
      const calls: [string, (client: InstanceType<Sdk["MediaEngine"]>) => Promise<unknown>][] = [
        ["/v1/webhooks/endpoints", (c) => c.webhooks.endpoints.create({ url: "https://example.com/h" })],
        ["/v1/webhooks/secret/rotate", (c) => c.webhooks.secret.rotate()],
        [
          "/v1/webhooks/endpoints/whe_1/replay",
          (c) => c.webhooks.endpoints.replay("whe_1", { since: "2026-01-01T00:00:00Z" }),
        ],
        ["/v1/webhooks/deliveries/whd_1/redeliver", (c) => c.webhooks.deliveries.redeliver("whd_1")],
        ["/v1/jobs/job_1/cancel", (c) => c.jobs.cancel("job_1")],
      ];
      for (const [path, call] of calls) {
        const engine = scripted([
          json(503, error("service_unavailable"), { "retry-after": "0" }),
          json(200, {}),
        ]);
        const client = new MediaEngine({
          apiKey: "mme_sk_x",
          baseUrl: "http://engine.test",
          fetch: engine.fetch,
        });
        await call(client);
        const keys = engine.requests.map(
          (r) => (r.init.headers as Record<string, string>)["idempotency-key"],
        );
        expect([path, engine.requests[0]!.url, keys.length]).toEqual([path, `http://engine.test${path}`, 2]);
        expect(keys[0]).toMatch(/^sdk_/);
        expect(keys[1]).toBe(keys[0]);
      }
    });

    test("errors are typed by status and carry code, message and request id; 429 carries retryAfter", async () => {
      const sdk = await load();
      const engine = scripted([
        json(404, error("not_found", "req_1")),
        json(402, error("insufficient_credits")),
        json(401, error("unauthorized")),
        json(409, error("job_not_cancelable")),
        json(429, error("rate_limited"), { "retry-after": "0" }),
        json(429, error("rate_limited"), { "retry-after": "7" }),
      ]);
      const client = new sdk.MediaEngine({
        apiKey: "k",
        baseUrl: "http://e",
        fetch: engine.fetch,
        maxRetries: 1,
      });
      const missing = await client.jobs.get("job_x").catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(sdk.NotFoundError);
      expect(missing).toBeInstanceOf(sdk.ApiError);
      expect(missing).toMatchObject({ status: 404, code: "not_found", requestId: "req_1" });
      await expect(client.jobs.create({ type: "image", prompt: "x" })).rejects.toBeInstanceOf(
        sdk.InsufficientCreditsError,
      );
      await expect(client.account.get()).rejects.toBeInstanceOf(sdk.AuthenticationError);
      await expect(client.jobs.cancel("job_x")).rejects.toBeInstanceOf(sdk.ConflictError);
      const limited = await client.account.get().catch((e: unknown) => e);
      expect(limited).toBeInstanceOf(sdk.RateLimitError);
      expect(limited).toMatchObject({ retryAfter: 7, code: "rate_limited" });
    });

    test("no answer at all is a ConnectionError once the retries are spent; 4xx are never retried", async () => {
      const sdk = await load();
      const down = scripted([new TypeError("fetch failed"), new TypeError("fetch failed")]);
      const client = new sdk.MediaEngine({
        apiKey: "k",
        baseUrl: "http://e",
        fetch: down.fetch,
        maxRetries: 1,
      });
      await expect(client.account.get()).rejects.toBeInstanceOf(sdk.ConnectionError);
      expect(down.requests).toHaveLength(2);
      const bad = scripted([json(400, error("invalid_request"))]);
      const once = new sdk.MediaEngine({ apiKey: "k", baseUrl: "http://e", fetch: bad.fetch, maxRetries: 3 });
      await expect(once.jobs.list()).rejects.toMatchObject({ status: 400 });
      expect(bad.requests).toHaveLength(1);
    });

    test("jobs.wait polls until the job ends, reports each state, and gives up with the job id", async () => {
      const sdk = await load();
      const engine = scripted([
        json(200, { ...JOB, status: "queued" }),
        json(200, { ...JOB, status: "processing" }),
        json(200, JOB),
        json(200, { ...JOB, status: "processing" }),
        json(200, { ...JOB, status: "processing" }),
        json(200, { ...JOB, status: "processing" }),
      ]);
      const client = new sdk.MediaEngine({ apiKey: "k", baseUrl: "http://e", fetch: engine.fetch });
      const seen: string[] = [];
      // stream: false, so the scripted answers are all polls (the stream is tested against a real engine).
      const done = await client.jobs.wait(JOB.jobId, {
        stream: false,
        intervalMs: 1,
        onUpdate: (j) => seen.push(j.status),
      });
      expect(done.status).toBe("completed");
      expect(seen).toEqual(["queued", "processing", "completed"]);
      const late = await client.jobs
        .wait(JOB.jobId, { stream: false, intervalMs: 5, timeoutMs: 8 })
        .catch((e: unknown) => e);
      expect(late).toBeInstanceOf(sdk.JobWaitTimeoutError);
      expect(late).toMatchObject({ jobId: JOB.jobId });
      const aborted = new AbortController();
      aborted.abort(new Error("stop"));
      await expect(client.jobs.wait(JOB.jobId, { signal: aborted.signal })).rejects.toThrow("stop");
    });

    test("verifyWebhook checks a Standard Webhooks signature and returns the event", async () => {
      const sdk = await load();
      const secret = `whsec_${randomBytes(24).toString("base64")}`;
      const body = JSON.stringify({
        id: "evt_01m8000000bbbbbbbbbbbbbb",
        type: "job.completed",
        timestamp: JOB.completedAt,
        data: { job: JOB },
      });
      const id = "evt_01m8000000bbbbbbbbbbbbbb";
      const timestamp = String(Math.floor(Date.now() / 1000));
      const mac = createHmac("sha256", Buffer.from(secret.slice(6), "base64"))
        .update(`${id}.${timestamp}.${body}`)
        .digest("base64");
      const headers = { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": `v1,${mac}` };
      const event = await sdk.verifyWebhook(body, headers, ["whsec_b2xk", secret]);
      expect(event.type).toBe("job.completed");
      await expect(sdk.verifyWebhook(`${body} `, headers, secret)).rejects.toBeInstanceOf(
        sdk.WebhookVerificationError,
      );
      const old = { ...headers, "webhook-timestamp": String(Number(timestamp) - 600) };
      await expect(sdk.verifyWebhook(body, old, secret)).rejects.toThrow(/too old/);
    });
  });
}

// Last in this file, after the tests that load dist: packing rebuilds it.
test("pnpm pack builds the package first and ships its README, the built files and no sources", () => {
  const dir = mkdtempSync(join(tmpdir(), "mme-sdk-pack-"));
  const root = join(import.meta.dirname, "..");
  // Without dist, a pack that did not build would ship an empty package; prepack builds it again.
  rmSync(join(root, "dist"), { recursive: true, force: true });
  execFileSync("pnpm", ["pack", "--pack-destination", dir], {
    cwd: join(import.meta.dirname, ".."),
    stdio: "pipe",
  });
  const tarball = readdirSync(dir).find((f) => f.endsWith(".tgz"))!;
  const files = execFileSync("tar", ["tzf", join(dir, tarball)], { encoding: "utf8" })
    .trim()
    .split("\n")
    .sort();
  expect(files).toEqual(
    expect.arrayContaining([
      "package/README.md",
      "package/dist/index.js",
      "package/dist/index.cjs",
      "package/dist/index.d.ts",
      "package/dist/webhooks.js",
      "package/package.json",
    ]),
  );
  expect(files.filter((f) => f.startsWith("package/src/") || f.startsWith("package/test/"))).toEqual([]);
}, 300_000);
