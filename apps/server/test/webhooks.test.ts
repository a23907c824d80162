import { createServer } from "node:net";
import {
  type Job,
  JobWebhookEvent,
  WebhookDelivery,
  type WebhookDeliveryList,
  WebhookEndpoint,
  type WebhookEndpointWithSecret,
  type WebhookEvent,
  type WebhookSecret,
} from "@mcpmediaengine/contract";
import { createAccountWithKey } from "@mcpmediaengine/engine";
import { afterAll, beforeAll, expect, test } from "vitest";
import { eventually, startTestServer, type TestServer } from "./harness";
import { WebhookReceiver } from "./webhook-receiver";

// A shortened schedule (0, 0.3 s, 0.3 s, 0.3 s) and a 1.5 s timeout, so retries and timeouts show in seconds.
let server: TestServer;
let receiver: WebhookReceiver;
beforeAll(async () => {
  server = await startTestServer({
    env: { MME_WEBHOOK_RETRY_SCHEDULE: "0,0.3,0.3,0.3", MME_WEBHOOK_TIMEOUT_MS: "1500" },
  });
  receiver = await new WebhookReceiver().start();
});
afterAll(async () => {
  await receiver.stop();
  await server.stop();
});

/** An account of its own (enterprise, so polling is never rate limited), with its default secret known. */
async function newAccount() {
  const { apiKey } = await createAccountWithKey({
    ctx: server.engine,
    name: "webhooks",
    plan: "enterprise",
    credits: 1000,
  });
  const secret = (await (await server.api("/v1/webhooks/secret", { key: apiKey })).json()) as WebhookSecret;
  receiver.secrets.push(secret.secret);
  const call = (path: string, init: RequestInit = {}) => server.api(path, { ...init, key: apiKey });
  const submit = async (body: Record<string, unknown>) => {
    const response = await call("/v1/jobs", {
      method: "POST",
      body: JSON.stringify({ type: "image", model: "dev-noop", prompt: "hook", ...body }),
    });
    return { status: response.status, body: (await response.json()) as Job & { error?: { code: string } } };
  };
  const deliveries = async (query = "") =>
    ((await (await call(`/v1/webhooks/deliveries${query}`)).json()) as WebhookDeliveryList).data;
  return { apiKey, secret: secret.secret, call, submit, deliveries };
}

test("a completed job's webhookUrl gets one signed job.completed that standardwebhooks verifies, assets included", async () => {
  const account = await newAccount();
  const { body: job } = await account.submit({
    webhookUrl: `${receiver.url}/done`,
    metadata: { order: "42" },
  });
  const [delivery] = await receiver.waitFor("/done", 1);
  expect(delivery!.verified).not.toBeNull();
  const event = JobWebhookEvent.parse(JSON.parse(delivery!.body));
  expect(event.type).toBe("job.completed");
  expect(delivery!.headers["webhook-id"]).toBe(event.id);
  expect(event.data.job.jobId).toBe(job.jobId);
  expect(event.data.job.status).toBe("completed");
  expect(event.data.job.metadata).toEqual({ order: "42" });
  const asset = event.data.job.result!.assets[0]!;
  expect((await fetch(asset.url)).status).toBe(200);
  expect(Buffer.byteLength(delivery!.body)).toBeLessThan(20_000);
  const [logged, ...others] = await eventually(
    () => account.deliveries(`?jobId=${job.jobId}`),
    (d) => d[0]?.status === "succeeded",
  );
  // Only the end was asked for (the default): no processing event. Events are written with the job's transitions,
  // so one for processing would already be in the log by the time the completion was delivered.
  expect(others).toEqual([]);
  expect(receiver.at("/done")).toHaveLength(1);
  expect(WebhookDelivery.parse(logged)).toMatchObject({ eventType: "job.completed", endpointId: null });
  expect(logged!.attempts).toEqual([
    expect.objectContaining({ attempt: 1, statusCode: 200, error: null, responseBody: "answer 200" }),
  ]);
});

test("webhookEvents narrows or widens a job's events: job.processing then job.completed", async () => {
  const account = await newAccount();
  await account.submit({
    webhookUrl: `${receiver.url}/both`,
    webhookEvents: ["job.processing", "job.completed"],
  });
  const got = await receiver.waitFor("/both", 2);
  const types = got.map((r) => (JSON.parse(r.body) as WebhookEvent).type).sort();
  expect(types).toEqual(["job.completed", "job.processing"]);
  expect(got.every((r) => r.verified)).toBe(true);
});

test("failed and canceled jobs send job.failed and job.canceled", async () => {
  const account = await newAccount();
  await account.submit({
    webhookUrl: `${receiver.url}/failed`,
    prompt: "broken on purpose",
    model: "dev-fail",
  });
  const { body: slow } = await account.submit({
    webhookUrl: `${receiver.url}/canceled`,
    prompt: "sleep 5000",
    model: "dev-sleep",
  });
  await account.call(`/v1/jobs/${slow.jobId}/cancel`, { method: "POST" });
  const [canceled] = await receiver.waitFor("/canceled", 1);
  expect((JSON.parse(canceled!.body) as WebhookEvent).type).toBe("job.canceled");
  const [failed] = await receiver.waitFor("/failed", 1);
  expect((JSON.parse(failed!.body) as WebhookEvent).type).toBe("job.failed");
});

test("receiver down, then up: the event arrives later with the same webhook-id, and the log shows each attempt", async () => {
  const account = await newAccount();
  const port = await freePort();
  const late = new WebhookReceiver();
  late.secrets.push(account.secret);
  const { body: job } = await account.submit({ webhookUrl: `http://127.0.0.1:${port}/late` });
  const failedOnce = await eventually(
    () => account.deliveries(`?jobId=${job.jobId}`),
    (d) => (d[0]?.attempts.length ?? 0) >= 1,
  );
  expect(failedOnce[0]!.attempts[0]!.statusCode).toBeNull();
  expect(failedOnce[0]!.attempts[0]!.error).toMatch(/ECONNREFUSED/);
  await late.start(port);
  try {
    const [arrived] = await late.waitFor("/late", 1);
    expect(arrived!.verified).not.toBeNull();
    const [logged] = await eventually(
      () => account.deliveries(`?jobId=${job.jobId}`),
      (d) => d[0]?.status === "succeeded",
    );
    expect(arrived!.headers["webhook-id"]).toBe(logged!.eventId);
    expect(logged!.attempts.at(-1)!.statusCode).toBe(200);
    expect(logged!.attempts.length).toBeGreaterThanOrEqual(2);
  } finally {
    await late.stop();
  }
});

test("503s then 200: the same id every attempt; when the schedule is spent the delivery fails, and redeliver sends it again under the same id", async () => {
  const account = await newAccount();
  receiver.on("/flaky", (_, n) => ({ status: n <= 2 ? 503 : 200 }));
  receiver.on("/never", () => ({ status: 500 }));
  await account.submit({ webhookUrl: `${receiver.url}/flaky` });
  const flaky = await receiver.waitFor("/flaky", 3);
  expect(new Set(flaky.map((r) => r.headers["webhook-id"])).size).toBe(1);

  const { body: job } = await account.submit({ webhookUrl: `${receiver.url}/never` });
  const [failed] = await eventually(
    () => account.deliveries(`?jobId=${job.jobId}`),
    (d) => d[0]?.status === "failed",
  );
  expect(failed!.attempts.map((a) => a.statusCode)).toEqual([500, 500, 500, 500]);
  receiver.on("/never", () => ({ status: 200 }));
  const again = await account.call(`/v1/webhooks/deliveries/${failed!.deliveryId}/redeliver`, {
    method: "POST",
  });
  expect(again.status).toBe(200);
  const never = await receiver.waitFor("/never", 5);
  // A duplicate is recognisable: it carries the id already seen.
  expect(new Set(never.map((r) => r.headers["webhook-id"]))).toEqual(new Set([failed!.eventId]));
  await eventually(
    () => account.deliveries(`?jobId=${job.jobId}`),
    (d) => d[0]?.status === "succeeded",
  );
});

test("429 with Retry-After is honoured over the schedule", async () => {
  const account = await newAccount();
  receiver.on("/busy", (_, n) =>
    n === 1 ? { status: 429, headers: { "retry-after": "2" } } : { status: 200 },
  );
  await account.submit({ webhookUrl: `${receiver.url}/busy` });
  const [first, second] = await receiver.waitFor("/busy", 2);
  // The schedule alone would have waited 0.3 s.
  expect(second!.at - first!.at).toBeGreaterThanOrEqual(1900);
});

// That a hanging receiver does not delay others' deliveries is measured in `pnpm bench` ("webhook p50 with 8
// deliveries hanging"); here, that it times out while others are still delivered.
test("a slow receiver times out; deliveries to others go on", async () => {
  const account = await newAccount();
  receiver.on("/slow", () => ({ status: 200, delayMs: 10_000 }));
  const { body: slowJob } = await account.submit({ webhookUrl: `${receiver.url}/slow` });
  await receiver.waitFor("/slow", 1);
  await account.submit({ webhookUrl: `${receiver.url}/fast` });
  await receiver.waitFor("/fast", 1);
  const [slow] = await eventually(
    () => account.deliveries(`?jobId=${slowJob.jobId}`),
    (d) => (d[0]?.attempts.length ?? 0) >= 1,
  );
  expect(slow!.attempts[0]).toMatchObject({ statusCode: null, error: "no answer within 1.5 s" });
  expect(slow!.attempts[0]!.latencyMs).toBeGreaterThanOrEqual(1400);
});

test("endpoints: their own secret and event filter; 410 disables one, visibly, and it receives nothing more", async () => {
  const account = await newAccount();
  const create = async (body: Record<string, unknown>) =>
    (await (
      await account.call("/v1/webhooks/endpoints", { method: "POST", body: JSON.stringify(body) })
    ).json()) as WebhookEndpointWithSecret;
  const all = await create({ url: `${receiver.url}/ep-all`, description: "everything" });
  const failedOnly = await create({ url: `${receiver.url}/ep-failed`, events: ["job.failed"] });
  const gone = await create({ url: `${receiver.url}/ep-gone`, events: ["job.completed"] });
  expect(all.secret).toMatch(/^whsec_/);
  expect(all.secret).not.toBe(account.secret);
  receiver.secrets.push(all.secret, failedOnly.secret, gone.secret);
  receiver.on("/ep-gone", () => ({ status: 410 }));

  await account.submit({});
  const [toAll] = await receiver.waitFor("/ep-all", 1);
  expect(toAll!.verified).not.toBeNull();
  expect(
    new (await import("standardwebhooks")).Webhook(all.secret).verify(toAll!.body, toAll!.headers as never),
  ).toBeTruthy();
  await receiver.waitFor("/ep-gone", 1);
  const disabled = await eventually(
    async () =>
      WebhookEndpoint.parse(await (await account.call(`/v1/webhooks/endpoints/${gone.endpointId}`)).json()),
    (e) => !e.enabled,
  );
  expect(disabled.disabledReason).toMatch(/410/);

  await account.submit({ prompt: "nope", model: "dev-fail" });
  await receiver.waitFor("/ep-failed", 1);
  await receiver.waitFor("/ep-all", 3); // processing is not a default: completed, then failed (plus the first)
  await account.submit({});
  await receiver.waitFor("/ep-all", 4);
  expect(receiver.at("/ep-gone")).toHaveLength(1);
  expect(receiver.at("/ep-failed")).toHaveLength(1);

  const list = (await (await account.call("/v1/webhooks/endpoints")).json()) as { data: WebhookEndpoint[] };
  expect(list.data.map((e) => [e.endpointId, e.enabled])).toContainEqual([gone.endpointId, false]);
  const revived = await account.call(`/v1/webhooks/endpoints/${gone.endpointId}`, {
    method: "PATCH",
    body: JSON.stringify({ enabled: true }),
  });
  expect(((await revived.json()) as WebhookEndpoint).enabled).toBe(true);
  expect((await account.call(`/v1/webhooks/endpoints/${all.endpointId}`, { method: "DELETE" })).status).toBe(
    200,
  );
  expect((await account.call(`/v1/webhooks/endpoints/${all.endpointId}`)).status).toBe(404);
});

test("replay sends an endpoint's failed deliveries in a time range again", async () => {
  const account = await newAccount();
  receiver.on("/replay", () => ({ status: 500 }));
  const since = new Date(Date.now() - 1000).toISOString();
  const endpoint = (await (
    await account.call("/v1/webhooks/endpoints", {
      method: "POST",
      body: JSON.stringify({ url: `${receiver.url}/replay`, events: ["job.completed"] }),
    })
  ).json()) as WebhookEndpointWithSecret;
  await account.submit({});
  await account.submit({});
  await eventually(
    () => account.deliveries(`?endpointId=${endpoint.endpointId}&status=failed`),
    (d) => d.length === 2,
  );
  receiver.on("/replay", () => ({ status: 200 }));
  const replay = await account.call(`/v1/webhooks/endpoints/${endpoint.endpointId}/replay`, {
    method: "POST",
    body: JSON.stringify({ since }),
  });
  expect(await replay.json()).toEqual({ replayed: 2 });
  await eventually(
    () => account.deliveries(`?endpointId=${endpoint.endpointId}&status=succeeded`),
    (d) => d.length === 2,
  );
});

test("rotating the default secret signs with both for the grace period", async () => {
  const account = await newAccount();
  const rotated = (await (
    await account.call("/v1/webhooks/secret/rotate", { method: "POST" })
  ).json()) as WebhookSecret;
  expect(rotated.secret).not.toBe(account.secret);
  expect(rotated.previousSecretExpiresAt).not.toBeNull();
  await account.submit({ webhookUrl: `${receiver.url}/rotated` });
  const [got] = await receiver.waitFor("/rotated", 1);
  expect(String(got!.headers["webhook-signature"]).split(" ")).toHaveLength(2);
  const { Webhook } = await import("standardwebhooks");
  for (const secret of [account.secret, rotated.secret]) {
    expect(new Webhook(secret).verify(got!.body, got!.headers as never)).toBeTruthy();
  }
});

test("one account never sees another's endpoints or deliveries", async () => {
  const alice = await newAccount();
  const bob = await newAccount();
  const { body: job } = await alice.submit({ webhookUrl: `${receiver.url}/alice` });
  await receiver.waitFor("/alice", 1);
  const [delivery] = await eventually(
    () => alice.deliveries(`?jobId=${job.jobId}`),
    (d) => d.length === 1,
  );
  expect(await bob.deliveries(`?jobId=${job.jobId}`)).toEqual([]);
  expect((await bob.call(`/v1/webhooks/deliveries/${delivery!.deliveryId}`)).status).toBe(404);
  expect(
    (await bob.call(`/v1/webhooks/deliveries/${delivery!.deliveryId}/redeliver`, { method: "POST" })).status,
  ).toBe(404);
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

test("an endpoint whose every delivery fails for long enough is disabled, and says since when", async () => {
  const account = await newAccount();
  const before = server.engine.webhooks.disableAfterMs;
  server.engine.webhooks.disableAfterMs = 500; // days in production (MME_WEBHOOK_DISABLE_AFTER_HOURS)
  try {
    receiver.on("/down-for-days", () => ({ status: 500 }));
    const endpoint = (await (
      await account.call("/v1/webhooks/endpoints", {
        method: "POST",
        body: JSON.stringify({ url: `${receiver.url}/down-for-days` }),
      })
    ).json()) as WebhookEndpointWithSecret;
    await account.submit({});
    const disabled = await eventually(
      async () =>
        WebhookEndpoint.parse(
          await (await account.call(`/v1/webhooks/endpoints/${endpoint.endpointId}`)).json(),
        ),
      (e) => !e.enabled,
    );
    expect(disabled.disabledReason).toMatch(/^every delivery failed since \d{4}-/);
    expect(disabled.failingSince).not.toBeNull();
  } finally {
    server.engine.webhooks.disableAfterMs = before;
  }
});
