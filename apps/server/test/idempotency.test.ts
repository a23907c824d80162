import type { Account, Job } from "@mcpmediaengine/contract";
import { createAccountWithKey } from "@mcpmediaengine/engine";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestServer, type TestServer, waitForJob } from "./harness";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const submit = (key: string, idempotencyKey: string, body: string) =>
  server.api("/v1/jobs", { key, method: "POST", body, headers: { "idempotency-key": idempotencyKey } });
const job = (prompt: string) => JSON.stringify({ type: "image", prompt, model: "dev-noop" });
const jobsOf = async (key: string) =>
  ((await (await server.api("/v1/jobs?limit=100", { key })).json()) as { data: Job[] }).data;
const balance = async (key: string) =>
  ((await (await server.api("/v1/account", { key })).json()) as Account).balance;

test("a retry with the same key and body gets the first response and creates nothing", async () => {
  const key = await server.newKey();
  const first = await submit(key, "order-1", job("once"));
  expect(first.status).toBe(202);
  const firstBody = await first.text();
  // The same JSON spelled differently is the same request.
  const retry = await submit(key, "order-1", '{ "model": "dev-noop", "prompt": "once",  "type": "image" }');
  expect(retry.status).toBe(202);
  expect(retry.headers.get("idempotent-replayed")).toBe("true");
  expect(await retry.text()).toBe(firstBody);
  expect(await jobsOf(key)).toHaveLength(1);
  expect(await balance(key)).toBe(24);
});

test("a retry after the job has spent the last credit still gets the first response, not 402", async () => {
  const { apiKey } = await createAccountWithKey({
    ctx: server.engine,
    name: "one",
    plan: "enterprise",
    credits: 1,
  });
  const first = await submit(apiKey, "last-credit", job("the last one"));
  expect(first.status).toBe(202);
  expect(await balance(apiKey)).toBe(0);
  const retry = await submit(apiKey, "last-credit", job("the last one"));
  expect(retry.status).toBe(202);
  expect(retry.headers.get("idempotent-replayed")).toBe("true");
  expect(((await retry.json()) as Job).jobId).toBe(((await first.json()) as Job).jobId);
  // A new request on the empty balance is refused as ever.
  expect((await submit(apiKey, "another", job("one more"))).status).toBe(402);
});

test("the same key with a different body is 409 idempotency_conflict", async () => {
  const key = await server.newKey();
  expect((await submit(key, "k", job("a"))).status).toBe(202);
  const conflict = await submit(key, "k", job("b"));
  expect(conflict.status).toBe(409);
  expect(((await conflict.json()) as { error: { code: string } }).error.code).toBe("idempotency_conflict");
  expect(await jobsOf(key)).toHaveLength(1);
});

test("concurrent requests with one key create exactly one job and all get its response", async () => {
  const key = await server.newKey();
  const responses = await Promise.all(Array.from({ length: 20 }, () => submit(key, "burst", job("burst"))));
  expect(responses.every((r) => r.status === 202)).toBe(true);
  const ids = new Set(await Promise.all(responses.map(async (r) => ((await r.json()) as Job).jobId)));
  expect(ids.size).toBe(1);
  expect(await jobsOf(key)).toHaveLength(1);
  expect(await balance(key)).toBe(24);
});

test("keys are per account: another account's key of the same name is its own", async () => {
  const alice = await server.newKey();
  const bob = await server.newKey();
  const a = (await (await submit(alice, "shared-name", job("x"))).json()) as Job;
  const b = (await (await submit(bob, "shared-name", job("x"))).json()) as Job;
  expect(a.jobId).not.toBe(b.jobId);
});

test("a refused request is not remembered: fixed and retried with the same key, it runs", async () => {
  const key = await server.newKey();
  const bad = await submit(key, "fix-me", JSON.stringify({ type: "image", prompt: "" }));
  expect(bad.status).toBe(400);
  expect((await submit(key, "fix-me", job("fixed"))).status).toBe(202);
});

test("cancel with a key: the retry replays the cancel instead of answering 409", async () => {
  const key = await server.newKey();
  const created = (await (
    await submit(key, "c-1", JSON.stringify({ type: "image", prompt: "sleep 5000", model: "dev-sleep" }))
  ).json()) as Job;
  const cancel = () =>
    server.api(`/v1/jobs/${created.jobId}/cancel`, {
      key,
      method: "POST",
      headers: { "idempotency-key": "cancel-1" },
    });
  expect((await cancel()).status).toBe(200);
  const again = await cancel();
  expect(again.status).toBe(200);
  expect(again.headers.get("idempotent-replayed")).toBe("true");
  // Without the key a second cancel is the usual conflict.
  expect((await server.api(`/v1/jobs/${created.jobId}/cancel`, { key, method: "POST" })).status).toBe(409);
});

test("endpoint creation, secret rotation and replay honour the key: a retry does nothing twice", async () => {
  const key = await server.newKey();
  const post = (path: string, idempotencyKey: string, body?: object) =>
    server.api(path, {
      key,
      method: "POST",
      headers: { "idempotency-key": idempotencyKey },
      ...(body && { body: JSON.stringify(body) }),
    });
  const endpoint = { url: "http://127.0.0.1:9/hooks" };
  const first = await post("/v1/webhooks/endpoints", "ep-1", endpoint);
  const retry = await post("/v1/webhooks/endpoints", "ep-1", endpoint);
  expect([first.status, retry.status, retry.headers.get("idempotent-replayed")]).toEqual([200, 200, "true"]);
  const created = (await first.json()) as { endpointId: string; secret: string };
  expect(((await retry.json()) as { endpointId: string }).endpointId).toBe(created.endpointId);
  const list = (await (await server.api("/v1/webhooks/endpoints", { key })).json()) as { data: unknown[] };
  expect(list.data).toHaveLength(1);
  expect((await post("/v1/webhooks/endpoints", "ep-1", { url: "http://127.0.0.1:9/other" })).status).toBe(
    409,
  );

  const rotated = (await (await post("/v1/webhooks/secret/rotate", "rot-1")).json()) as { secret: string };
  const again = await post("/v1/webhooks/secret/rotate", "rot-1");
  expect(again.headers.get("idempotent-replayed")).toBe("true");
  expect(((await again.json()) as { secret: string }).secret).toBe(rotated.secret);
  const current = (await (await server.api("/v1/webhooks/secret", { key })).json()) as { secret: string };
  expect(current.secret).toBe(rotated.secret);

  const replay = `/v1/webhooks/endpoints/${created.endpointId}/replay`;
  const since = { since: "2026-01-01T00:00:00Z" };
  expect((await post(replay, "rep-1", since)).status).toBe(200);
  expect((await post(replay, "rep-1", since)).headers.get("idempotent-replayed")).toBe("true");
});

test("a malformed key is refused", async () => {
  const key = await server.newKey();
  expect((await submit(key, "x".repeat(256), job("x"))).status).toBe(400);
});

test("the key is claimed with the job: after the job has run, a retry still gets the job as first accepted", async () => {
  const key = await server.newKey();
  const first = await submit(key, "kept", job("kept"));
  const firstBody = await first.text();
  const { jobId } = JSON.parse(firstBody) as Job;
  expect((await waitForJob(server, jobId, 30_000, key)).status).toBe("completed");
  const retry = await submit(key, "kept", job("kept"));
  expect(retry.status).toBe(202);
  expect(retry.headers.get("idempotent-replayed")).toBe("true");
  expect(await retry.text()).toBe(firstBody);
  // There is no moment when the job exists without its key (or the key without its job) for a retry to slip in.
  const keys = await server.t.db
    .selectFrom("idempotency_keys")
    .select(["job_id", "response_status"])
    .where("key", "=", "kept")
    .execute();
  expect(keys).toEqual([{ job_id: jobId, response_status: 202 }]);
  expect(await jobsOf(key)).toHaveLength(1);
});

test("after 24 hours a key is free again: the same request makes a new job", async () => {
  const key = await server.newKey();
  const first = (await (await submit(key, "old", job("old"))).json()) as Job;
  await server.t.db
    .updateTable("idempotency_keys")
    .set({ created_at: new Date(Date.now() - 25 * 3600_000) })
    .where("key", "=", "old")
    .execute();
  const second = await submit(key, "old", job("old"));
  expect(second.status).toBe(202);
  expect(second.headers.get("idempotent-replayed")).toBeNull();
  expect(((await second.json()) as Job).jobId).not.toBe(first.jobId);
  expect(await jobsOf(key)).toHaveLength(2);
});

test("tRPC's jobs.create honours the same key as REST", async () => {
  const key = await server.newKey();
  const rest = (await (await submit(key, "both", job("both"))).json()) as Job;
  const trpc = await server.api("/trpc/jobs.create", {
    key,
    method: "POST",
    body: job("both"),
    headers: { "idempotency-key": "both" },
  });
  expect(trpc.status).toBe(200);
  expect(trpc.headers.get("idempotent-replayed")).toBe("true");
  expect(((await trpc.json()) as { result: { data: Job } }).result.data.jobId).toBe(rest.jobId);
});
