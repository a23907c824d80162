import {
  type Batch,
  type BatchItemError,
  type BatchJobList,
  BatchWebhookEvent,
  type CreatedBatch,
  isImageJob,
  type Job,
  type JobList,
  type WebhookSecret,
} from "@mcpmediaengine/contract";
import { createAccountWithKey } from "@mcpmediaengine/engine";
import { afterAll, beforeAll, expect, test } from "vitest";
import { eventually, startTestServer, type TestServer } from "./harness";
import { WebhookReceiver } from "./webhook-receiver";

let server: TestServer;
let receiver: WebhookReceiver;
beforeAll(async () => {
  server = await startTestServer();
  receiver = await new WebhookReceiver().start();
});
afterAll(async () => {
  await receiver.stop();
  await server.stop();
});

type ErrorAnswer = { error: { code: string; message: string; details?: Record<string, unknown> } };

/** An account of its own with exactly `credits`, its default secret known to the receiver. */
async function newAccount(options: { credits?: number; plan?: "free" | "pro" | "enterprise" } = {}) {
  const { apiKey, accountId } = await createAccountWithKey({
    ctx: server.engine,
    name: "batches",
    plan: options.plan ?? "enterprise",
    credits: options.credits ?? 2000,
  });
  const secret = (await (await server.api("/v1/webhooks/secret", { key: apiKey })).json()) as WebhookSecret;
  receiver.secrets.push(secret.secret);
  const call = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
    server.api(path, { ...init, key: apiKey });
  const submit = async (body: unknown, headers: Record<string, string> = {}) => {
    const response = await call("/v1/batch", { method: "POST", body: JSON.stringify(body), headers });
    return { status: response.status, headers: response.headers, body: (await response.json()) as never };
  };
  const batch = async (batchId: string) => (await (await call(`/v1/batches/${batchId}`)).json()) as Batch;
  return { apiKey, accountId, call, submit, batch };
}

/** The account's balance (checked against the sum of its ledger) and how many batches and jobs it has. */
/** How many batch.completed events the batch has written. */
async function batchEvents(batchId: string): Promise<number> {
  const found = await server.t.db
    .selectFrom("webhook_events")
    .select("id")
    .where("batch_id", "=", batchId)
    .where("type", "=", "batch.completed")
    .execute();
  return found.length;
}

async function ledger(accountId: string) {
  const db = server.t.db;
  const { balance } = await db
    .selectFrom("accounts")
    .select("balance")
    .where("id", "=", accountId)
    .executeTakeFirstOrThrow();
  const count = (table: "batches" | "jobs") =>
    db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("account_id", "=", accountId)
      .executeTakeFirstOrThrow();
  const sum = await db
    .selectFrom("credit_ledger")
    .select((eb) => eb.fn.sum<string>("amount").as("total"))
    .where("account_id", "=", accountId)
    .executeTakeFirstOrThrow();
  expect(Number(balance)).toBe(Number(sum.total ?? 0));
  return {
    balance: Number(balance),
    batches: Number((await count("batches")).n),
    jobs: Number((await count("jobs")).n),
  };
}

const items = (n: number, extra: (i: number) => Record<string, unknown> = () => ({})) =>
  Array.from(
    { length: n },
    (_, i): Record<string, unknown> => ({ prompt: `variant ${i}`, customId: `item-${i}`, ...extra(i) }),
  );

test("500 items are accepted at once, each a job of its own in item order; the batch completes and batch.completed arrives once, verified", async () => {
  const account = await newAccount({ credits: 600 });
  const hook = `${receiver.url}/batch-500`;
  const { status, body } = await account.submit({
    jobs: items(500),
    defaults: { type: "image", model: "dev-noop" },
    webhookUrl: hook,
    metadata: { campaign: "spring" },
  });
  expect(status).toBe(202);
  const created = body as CreatedBatch;
  expect(created.batchId).toMatch(/^bat_/);
  expect(created.status).toBe("processing");
  expect(created.jobCount).toBe(500);
  expect(created.jobIds).toHaveLength(500);
  expect(new Set(created.jobIds).size).toBe(500);
  expect(created.credits.held + created.credits.spent).toBe(500);
  expect((await ledger(account.accountId)).balance).toBe(100);

  const job = (await (await account.call(`/v1/jobs/${created.jobIds[123]}`)).json()) as Job;
  expect(job.batchId).toBe(created.batchId);
  expect(job.customId).toBe("item-123");
  expect(job.input.prompt).toBe("variant 123");

  const done = await eventually(
    () => account.batch(created.batchId),
    (b) => b.status !== "processing",
  );
  expect(done.status).toBe("completed");
  expect(done.counts).toEqual({ queued: 0, processing: 0, completed: 500, failed: 0, canceled: 0 });
  expect(done.progress).toBe(1);
  expect(done.credits).toEqual({ held: 0, spent: 500 });
  expect(done.completedAt).not.toBeNull();
  expect((await ledger(account.accountId)).balance).toBe(100);

  // The batch's jobs page in item order; GET /v1/jobs?batchId= finds the same 500.
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page = (await (
      await account.call(`/v1/batches/${created.batchId}/jobs?limit=100${cursor ? `&cursor=${cursor}` : ""}`)
    ).json()) as BatchJobList;
    seen.push(...page.data.map((j) => j.jobId));
    expect(page.data.every((j) => j.status === "completed" && j.result!.assets.length === 1)).toBe(true);
    cursor = page.nextCursor;
  } while (cursor);
  expect(seen).toEqual(created.jobIds);
  const listed = (await (
    await account.call(`/v1/jobs?batchId=${created.batchId}&limit=100`)
  ).json()) as JobList;
  expect(listed.data).toHaveLength(100);
  expect(listed.data.every((j) => j.batchId === created.batchId)).toBe(true);

  const event = await eventually(
    async () => receiver.received.filter((r) => r.path === "/batch-500"),
    (r) => r.length > 0,
  );
  // Exactly once at the source: one batch.completed event was written (a second would have its own delivery).
  expect(await batchEvents(created.batchId)).toBe(1);
  expect(
    new Set(receiver.received.filter((r) => r.path === "/batch-500").map((r) => r.headers["webhook-id"]))
      .size,
  ).toBe(1);
  expect(event[0]!.verified).not.toBeNull();
  const parsed = BatchWebhookEvent.parse(JSON.parse(event[0]!.body));
  expect(parsed.type).toBe("batch.completed");
  expect(parsed.data.batch.batchId).toBe(created.batchId);
  expect(parsed.data.batch.counts.completed).toBe(500);
  expect(parsed.data.batch.metadata).toEqual({ campaign: "spring" });
  expect(parsed.data.batch.resultsUrl).toMatch(new RegExp(`/v1/batches/${created.batchId}/jobs$`));
  expect(event[0]!.body.length).toBeLessThan(20_000);
});

test("501 items, a matrix over 500, or more than the plan's largest batch are refused with batch_too_large, and nothing is written", async () => {
  const account = await newAccount({ credits: 2000 });
  const before = await ledger(account.accountId);
  const over = await account.submit({ jobs: items(501), defaults: { type: "image", model: "dev-noop" } });
  expect(over.status).toBe(400);
  expect((over.body as ErrorAnswer).error.code).toBe("batch_too_large");
  expect((over.body as ErrorAnswer).error.details).toMatchObject({ count: 501, max: 500 });

  const matrix = await account.submit({
    matrix: {
      prompts: items(30).map((i) => i.prompt as string),
      seeds: Array.from({ length: 20 }, (_, i) => i),
    },
    defaults: { model: "dev-noop" },
  });
  expect(matrix.status).toBe(400);
  expect((matrix.body as ErrorAnswer).error).toMatchObject({
    code: "batch_too_large",
    details: { count: 600 },
  });

  const free = await newAccount({ plan: "free", credits: 25 });
  const freeOver = await free.submit({ jobs: items(11), defaults: { type: "image", model: "dev-noop" } });
  expect(freeOver.status).toBe(400);
  expect((freeOver.body as ErrorAnswer).error).toMatchObject({
    code: "batch_too_large",
    details: { count: 11, max: 10 },
  });
  expect(await ledger(account.accountId)).toEqual(before);
  expect((await ledger(free.accountId)).batches).toBe(0);
});

test("a batch with bad items is refused whole, listing every bad index with its customId, code and message", async () => {
  const account = await newAccount({ credits: 100 });
  const before = await ledger(account.accountId);
  const jobs = items(10);
  jobs[1] = { customId: "no-prompt" } as never;
  jobs[3] = { ...jobs[3]!, model: "no-such-model" };
  jobs[5] = { ...jobs[5]!, width: 5000 };
  jobs[7] = { ...jobs[7]!, webhookUrl: "ftp://example.com/hook" };
  jobs[8] = { ...jobs[8]!, customId: "item-0" };
  jobs[9] = { ...jobs[9]!, color: "blue" };
  const { status, body } = await account.submit({ jobs, defaults: { type: "image", model: "dev-noop" } });
  expect(status).toBe(400);
  const error = (body as ErrorAnswer).error;
  expect(error.code).toBe("invalid_batch");
  const bad = (error.details as { items: BatchItemError[] }).items;
  expect(bad.map((b) => b.index)).toEqual([1, 3, 5, 7, 8, 9]);
  expect(bad.map((b) => b.customId)).toEqual(["no-prompt", "item-3", "item-5", "item-7", "item-0", "item-9"]);
  expect(bad.map((b) => b.code)).toEqual([
    "invalid_request",
    "model_unavailable",
    "invalid_request",
    // Issue 20: a webhook URL that is not http(s) is a refused webhook URL, as the whole request's would be.
    "invalid_webhook_url",
    "invalid_request",
    "invalid_request",
  ]);
  expect(bad[0]!.message).toMatch(/prompt/);
  expect(bad[2]!.message).toMatch(/width/);
  expect(bad[4]!.message).toMatch(/already used by item 0/);
  expect(await ledger(account.accountId)).toEqual(before);

  // Neither jobs nor matrix, and both, are plain bad requests.
  expect((await account.submit({})).status).toBe(400);
  const both = await account.submit({ jobs: items(1), matrix: { prompts: ["x"] } });
  expect((both.body as ErrorAnswer).error.code).toBe("invalid_request");
});

test("credits for the whole batch are held at once: a balance short by one refuses it with 402 and writes nothing", async () => {
  const account = await newAccount({ credits: 5 });
  const { status, body } = await account.submit({
    jobs: items(6),
    defaults: { type: "image", model: "dev-noop" },
  });
  expect(status).toBe(402);
  expect((body as ErrorAnswer).error).toMatchObject({
    code: "insufficient_credits",
    details: { balance: 5, cost: 6 },
  });
  expect(await ledger(account.accountId)).toEqual({ balance: 5, batches: 0, jobs: 0 });
  const fits = await account.submit({ jobs: items(5), defaults: { type: "image", model: "dev-noop" } });
  expect(fits.status).toBe(202);
  expect((await ledger(account.accountId)).balance).toBe(0);
});

test("a matrix expands to every combination in nesting order (prompts, presets, models, seeds)", async () => {
  const account = await newAccount();
  const { status, body } = await account.submit({
    matrix: { prompts: ["a cat", "a dog"], presets: [null, "social_post"], seeds: [1, 2] },
    defaults: { model: "dev-noop", format: "webp" },
  });
  expect(status).toBe(202);
  const created = body as CreatedBatch;
  expect(created.jobIds).toHaveLength(8);
  const page = (await (await account.call(`/v1/batches/${created.batchId}/jobs`)).json()) as BatchJobList;
  expect(
    page.data.filter(isImageJob).map((j) => [j.input.prompt, j.input.preset, j.input.seed, j.input.format]),
  ).toEqual([
    ["a cat", null, 1, "webp"],
    ["a cat", null, 2, "webp"],
    ["a cat", "social_post", 1, "webp"],
    ["a cat", "social_post", 2, "webp"],
    ["a dog", null, 1, "webp"],
    ["a dog", null, 2, "webp"],
    ["a dog", "social_post", 1, "webp"],
    ["a dog", "social_post", 2, "webp"],
  ]);
});

test("some jobs fail: the batch still completes, with the right counts, and only completed jobs are charged", async () => {
  const account = await newAccount({ credits: 50 });
  const jobs = items(10, (i) => (i % 3 === 0 ? { model: "dev-fail" } : {}));
  const { body } = await account.submit({
    jobs,
    defaults: { type: "image", model: "dev-noop" },
    webhookUrl: `${receiver.url}/partial`,
  });
  const created = body as CreatedBatch;
  const done = await eventually(
    () => account.batch(created.batchId),
    (b) => b.status !== "processing",
  );
  expect(done.status).toBe("completed");
  expect(done.counts).toMatchObject({ completed: 6, failed: 4, canceled: 0 });
  expect(done.credits).toEqual({ held: 0, spent: 6 });
  expect((await ledger(account.accountId)).balance).toBe(44);
  const failed = (await (
    await account.call(`/v1/batches/${created.batchId}/jobs?status=failed`)
  ).json()) as BatchJobList;
  expect(failed.data.map((j) => j.customId)).toEqual(["item-0", "item-3", "item-6", "item-9"]);
  const event = await eventually(
    async () => receiver.received.filter((r) => r.path === "/partial"),
    (r) => r.length > 0,
  );
  expect(BatchWebhookEvent.parse(JSON.parse(event[0]!.body)).data.batch.counts).toMatchObject({
    completed: 6,
    failed: 4,
  });
});

test("cancel stops what has not started and releases its credits; running jobs finish; batch.completed comes once, as canceled", async () => {
  const account = await newAccount({ credits: 100 });
  const { body } = await account.submit({
    jobs: items(30, () => ({ prompt: "sleep 800" })),
    defaults: { type: "image", model: "dev-sleep" },
    webhookUrl: `${receiver.url}/canceled`,
  });
  const created = body as CreatedBatch;
  await eventually(
    () => account.batch(created.batchId),
    (b) => b.counts.processing > 0,
  );
  const response = await account.call(`/v1/batches/${created.batchId}/cancel`, { method: "POST" });
  expect(response.status).toBe(200);
  const canceling = (await response.json()) as Batch;
  expect(canceling.cancelRequestedAt).not.toBeNull();
  expect(canceling.counts.queued).toBe(0);
  expect(canceling.counts.canceled).toBeGreaterThanOrEqual(20);

  const done = await eventually(
    () => account.batch(created.batchId),
    (b) => b.status !== "processing",
  );
  expect(done.status).toBe("canceled");
  expect(done.counts.completed + done.counts.canceled).toBe(30);
  expect(done.credits).toEqual({ held: 0, spent: done.counts.completed });
  expect((await ledger(account.accountId)).balance).toBe(100 - done.counts.completed);

  const again = await account.call(`/v1/batches/${created.batchId}/cancel`, { method: "POST" });
  expect(again.status).toBe(409);
  expect(((await again.json()) as ErrorAnswer).error.code).toBe("batch_not_cancelable");

  expect(await batchEvents(created.batchId)).toBe(1);
  const [delivered] = await receiver.waitFor("/canceled", 1);
  const events = receiver.received.filter(
    (r) => r.headers["webhook-id"] === delivered!.headers["webhook-id"],
  );
  expect(BatchWebhookEvent.parse(JSON.parse(events[0]!.body)).data.batch.status).toBe("canceled");
});

test("another account's single job, submitted during a large batch, runs before the batch's queue is through", async () => {
  const busy = await newAccount({ credits: 1000 });
  const { body } = await busy.submit({
    jobs: items(300, () => ({ prompt: "sleep 25" })),
    defaults: { type: "image", model: "dev-sleep" },
  });
  const created = body as CreatedBatch;
  await eventually(
    () => busy.batch(created.batchId),
    (b) => b.counts.completed > 0,
  );
  const other = await newAccount();
  const submitted = await other.call("/v1/jobs", {
    method: "POST",
    body: JSON.stringify({ type: "image", model: "dev-noop", prompt: "me first" }),
  });
  const single = (await submitted.json()) as Job;
  const finished = await eventually(
    async () => (await (await other.call(`/v1/jobs/${single.jobId}`)).json()) as Job,
    (j) => j.status === "completed",
  );
  expect(finished.status).toBe("completed");
  // Had it queued behind the batch, every batch job would have started first.
  const batch = await busy.batch(created.batchId);
  expect(batch.counts.queued).toBeGreaterThan(200);
  await busy.call(`/v1/batches/${created.batchId}/cancel`, { method: "POST" });
});

test("Idempotency-Key on POST /v1/batch: a retry gets the first batch back and creates nothing; another body is 409", async () => {
  const account = await newAccount({ credits: 100 });
  const request = { jobs: items(3), defaults: { type: "image", model: "dev-noop" } };
  const headers = { "idempotency-key": "batch-key-1" };
  const first = await account.submit(request, headers);
  expect(first.status).toBe(202);
  const [second, third] = await Promise.all([
    account.submit(request, headers),
    account.submit(request, headers),
  ]);
  for (const retry of [second, third]) {
    expect(retry.status).toBe(202);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect((retry.body as CreatedBatch).batchId).toBe((first.body as CreatedBatch).batchId);
    expect((retry.body as CreatedBatch).jobIds).toEqual((first.body as CreatedBatch).jobIds);
  }
  const other = await account.submit({ ...request, jobs: items(4) }, headers);
  expect(other.status).toBe(409);
  expect((other.body as ErrorAnswer).error.code).toBe("idempotency_conflict");
  expect(await ledger(account.accountId)).toMatchObject({ balance: 97, batches: 1, jobs: 3 });

  // Concurrent first requests with one key make one batch.
  const racing = await Promise.all(
    Array.from({ length: 8 }, () => account.submit(request, { "idempotency-key": "batch-key-2" })),
  );
  expect(new Set(racing.map((r) => (r.body as CreatedBatch).batchId)).size).toBe(1);
  expect(await ledger(account.accountId)).toMatchObject({ balance: 94, batches: 2, jobs: 6 });
});

test("a retry of a batch that spent the whole balance gets the batch back, not 402", async () => {
  const account = await newAccount({ credits: 3 });
  const request = { jobs: items(3), defaults: { type: "image", model: "dev-noop" } };
  const first = await account.submit(request, { "idempotency-key": "all-of-it" });
  expect(first.status).toBe(202);
  const retry = await account.submit(request, { "idempotency-key": "all-of-it" });
  expect(retry.status).toBe(202);
  expect(retry.headers.get("idempotent-replayed")).toBe("true");
  expect((retry.body as CreatedBatch).batchId).toBe((first.body as CreatedBatch).batchId);
  expect(await ledger(account.accountId)).toEqual({ balance: 0, batches: 1, jobs: 3 });
});

test("one account never sees another's batches", async () => {
  const owner = await newAccount();
  const stranger = await newAccount();
  const { body } = await owner.submit({ jobs: items(2), defaults: { type: "image", model: "dev-noop" } });
  const { batchId } = body as CreatedBatch;
  for (const path of [`/v1/batches/${batchId}`, `/v1/batches/${batchId}/jobs`]) {
    const response = await stranger.call(path);
    expect(response.status).toBe(404);
  }
  const cancel = await stranger.call(`/v1/batches/${batchId}/cancel`, { method: "POST" });
  expect(cancel.status).toBe(404);
  const list = (await (await stranger.call("/v1/batches")).json()) as { data: Batch[] };
  expect(list.data.map((b) => b.batchId)).not.toContain(batchId);
  const jobs = (await (await stranger.call(`/v1/jobs?batchId=${batchId}`)).json()) as JobList;
  expect(jobs.data).toHaveLength(0);
});

test("concurrent batches on a tight balance: exactly the affordable ones are accepted, whole, and the ledger adds up", async () => {
  const account = await newAccount({ credits: 50 });
  const answers = await Promise.all(
    Array.from({ length: 10 }, () =>
      account.submit({ jobs: items(10), defaults: { type: "image", model: "dev-noop" } }),
    ),
  );
  expect(answers.filter((a) => a.status === 202)).toHaveLength(5);
  expect(answers.filter((a) => a.status === 402)).toHaveLength(5);
  expect(await ledger(account.accountId)).toEqual({ balance: 0, batches: 5, jobs: 50 });
});
