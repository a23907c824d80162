import { createLog } from "@mcpmediaengine/engine";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type RunningEngine, startEngine } from "../src/boot/start";
import { readEnv } from "../src/env";
import { startTestServer, type TestServer } from "./harness";
import { openSse, type SseStream } from "./sse-client";

// Two API processes on one database: A (the test server, which also runs the worker, so its transactions notify)
// and B (API only), whose streams must hear what A and the worker change.
let a: TestServer;
let b: RunningEngine;
beforeAll(async () => {
  a = await startTestServer();
  b = await startEngine(
    readEnv({ DATABASE_URL: a.t.connectionString, PORT: "0", MME_DATA_DIR: a.dataDir, MME_DEV_MODELS: "1" }),
    "api",
    createLog("silent"),
  );
});
afterAll(async () => {
  await b?.stop();
  await a?.stop();
});

const auth = (key: string) => ({ authorization: `Bearer ${key}` });

async function submit(body: Record<string, unknown>, key = a.key): Promise<string> {
  const response = await a.api("/v1/jobs", { method: "POST", body: JSON.stringify(body), key });
  expect(response.status).toBe(202);
  return ((await response.json()) as { jobId: string }).jobId;
}

/** What a running job's worker writes when its generator reports progress, from a third connection. */
async function progress(jobId: string, fraction: number): Promise<void> {
  await a.t.pool.query("update jobs set progress = $1 where id = $2 and status = 'processing'", [
    fraction,
    jobId,
  ]);
}

const kinds = (s: SseStream) => s.events.map((e) => `${e.event}:${e.data.seq}`);

test("a job's events arrive in order on another API process: status, progress, then the ended job, then close", async () => {
  const jobId = await submit({ type: "image", prompt: "sleep 600000", model: "dev-sleep" });
  const stream = await openSse(`${b.url}/v1/jobs/${jobId}/events`, auth(a.key));
  expect(stream.status).toBe(200);
  await expect
    .poll(() => stream.events.some((e) => e.data.status === "processing"), { timeout: 30_000 })
    .toBe(true);
  await progress(jobId, 0.25);
  await progress(jobId, 0.5);
  await expect
    .poll(() => stream.events.filter((e) => e.event === "progress").length, { timeout: 30_000 })
    .toBe(2);
  await a.api(`/v1/jobs/${jobId}/cancel`, { method: "POST" });
  await stream.ended;
  expect(stream.closedByServer).toBe(true);
  const seqs = stream.events.map((e) => e.data.seq);
  // Ids are the job's seq: consecutive from what the stream started at, never repeated, never out of order.
  expect(stream.events.map((e) => Number(e.id))).toEqual(seqs);
  for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe(seqs[i - 1]! + 1);
  expect(stream.events.filter((e) => e.event === "progress").map((e) => e.data.progress)).toEqual([
    0.25, 0.5,
  ]);
  const last = stream.events.at(-1)!;
  expect(last.event).toBe("job");
  expect((last.data.job as { status: string }).status).toBe("canceled");
  expect(kinds(stream).filter((k) => k.startsWith("job:"))).toHaveLength(1);
});

test("a completed job's stream is its last event with the assets; resuming after it answers 204", async () => {
  const jobId = await submit({ type: "image", prompt: "quick", model: "dev-noop" });
  const stream = await openSse(`${b.url}/v1/jobs/${jobId}/events`, auth(a.key));
  await stream.ended;
  const last = stream.events.at(-1)!;
  expect(last.event).toBe("job");
  const job = last.data.job as { status: string; result: { assets: { url: string }[] } };
  expect(job.status).toBe("completed");
  expect(job.result.assets.length).toBeGreaterThan(0);
  const again = await openSse(`${a.url}/v1/jobs/${jobId}/events`, {
    ...auth(a.key),
    "last-event-id": last.id!,
  });
  expect(again.status).toBe(204);
});

test("Last-Event-ID resumes exactly after the event received, with what happened meanwhile", async () => {
  const jobId = await submit({ type: "image", prompt: "sleep 600000", model: "dev-sleep" });
  const first = await openSse(`${b.url}/v1/jobs/${jobId}/events`, auth(a.key));
  await expect
    .poll(() => first.events.some((e) => e.data.status === "processing"), { timeout: 30_000 })
    .toBe(true);
  const lastId = first.events.at(-1)!.id!;
  first.close();
  await first.ended;
  // While nobody listens:
  await progress(jobId, 0.3);
  await progress(jobId, 0.6);
  const resumed = await openSse(`${a.url}/v1/jobs/${jobId}/events`, {
    ...auth(a.key),
    "last-event-id": lastId,
  });
  await expect.poll(() => resumed.events.length, { timeout: 30_000 }).toBe(2);
  expect(resumed.events.map((e) => [e.event, e.data.progress, Number(e.id)])).toEqual([
    ["progress", 0.3, Number(lastId) + 1],
    ["progress", 0.6, Number(lastId) + 2],
  ]);
  await a.api(`/v1/jobs/${jobId}/cancel`, { method: "POST" });
  await resumed.ended;
  expect(resumed.events.at(-1)!.event).toBe("job");
  expect(Number(resumed.events.at(-1)!.id)).toBe(Number(lastId) + 3);
});

test("a batch's stream follows every job, resumes without skipping, and closes when all have ended", async () => {
  const created = await a.api("/v1/batch", {
    method: "POST",
    body: JSON.stringify({
      defaults: { type: "image", model: "dev-sleep", priority: "normal" },
      jobs: [{ prompt: "sleep 600000" }, { prompt: "sleep 600000" }],
    }),
  });
  expect(created.status).toBe(202);
  const { batchId, jobIds } = (await created.json()) as { batchId: string; jobIds: string[] };
  const stream = await openSse(`${b.url}/v1/jobs/events?batchId=${batchId}`, auth(a.key));
  expect(stream.status).toBe(200);
  await expect.poll(() => stream.events.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
  await a.api(`/v1/jobs/${jobIds[0]}/cancel`, { method: "POST" });
  await expect
    .poll(() => stream.events.some((e) => e.event === "job" && e.data.jobId === jobIds[0]), {
      timeout: 30_000,
    })
    .toBe(true);
  const lastId = stream.events.filter((e) => e.id !== undefined).at(-1)!.id!;
  stream.close();
  await stream.ended;
  await a.api(`/v1/jobs/${jobIds[1]}/cancel`, { method: "POST" });
  const resumed = await openSse(`${a.url}/v1/jobs/events?batchId=${batchId}`, {
    ...auth(a.key),
    "last-event-id": lastId,
  });
  await resumed.ended;
  expect(resumed.closedByServer).toBe(true);
  const ends = resumed.events.filter((e) => e.event === "job").map((e) => e.data.jobId);
  expect(ends).toContain(jobIds[1]);
  // Whatever was seen is named by (jobId, seq), so a repeat is recognisable; nothing after the id was lost.
  const after = await openSse(`${a.url}/v1/jobs/events?batchId=${batchId}`, {
    ...auth(a.key),
    "last-event-id": resumed.events.filter((e) => e.id !== undefined).at(-1)!.id!,
  });
  expect(after.status).toBe(204);
});

test("another account's job or batch is 404 and a stream without a key is 401", async () => {
  const other = await a.newKey();
  const jobId = await submit({ type: "image", prompt: "quick", model: "dev-noop" });
  const theirs = await openSse(`${b.url}/v1/jobs/${jobId}/events`, auth(other));
  expect(theirs.status).toBe(404);
  const created = await a.api("/v1/batch", {
    method: "POST",
    body: JSON.stringify({ defaults: { type: "image", model: "dev-noop" }, jobs: [{ prompt: "a" }] }),
  });
  const { batchId } = (await created.json()) as { batchId: string };
  expect((await openSse(`${b.url}/v1/jobs/events?batchId=${batchId}`, auth(other))).status).toBe(404);
  expect((await openSse(`${b.url}/v1/jobs/${jobId}/events`, {})).status).toBe(401);
  expect((await openSse(`${b.url}/v1/jobs/not-a-job/events`, auth(a.key))).status).toBe(400);
  // Another account's stream hears nothing of this account's jobs.
  const otherJob = await submit({ type: "image", prompt: "sleep 600000", model: "dev-sleep" }, other);
  const mine = await openSse(`${b.url}/v1/jobs/${otherJob}/events`, auth(other));
  await expect.poll(() => mine.events.length, { timeout: 30_000 }).toBeGreaterThan(0);
  expect(mine.events.every((e) => e.data.jobId === otherJob)).toBe(true);
  await a.api(`/v1/jobs/${otherJob}/cancel`, { method: "POST", key: other });
  await mine.ended;
});

test("a job's log tells what happened, in order, and only to its account", async () => {
  const jobId = await submit({ type: "image", prompt: "the model refuses", model: "dev-fail" });
  const stream = await openSse(`${a.url}/v1/jobs/${jobId}/events`, auth(a.key));
  await stream.ended;
  const response = await a.api(`/v1/jobs/${jobId}/logs`);
  expect(response.status).toBe(200);
  const logs = (await response.json()) as {
    data: { kind: string; message: string; details: Record<string, unknown> }[];
  };
  expect(logs.data.map((l) => l.kind)).toEqual(["accepted", "status", "attempt", "status", "error"]);
  expect(logs.data[1]!.message).toBe("queued -> processing");
  expect(logs.data[3]!.details).toMatchObject({
    from: "processing",
    to: "failed",
    errorCode: "generation_failed",
  });
  expect(logs.data[4]!.message).toContain("the model refuses");
  const other = await a.newKey();
  expect((await a.api(`/v1/jobs/${jobId}/logs`, { key: other })).status).toBe(404);
});

test("the console's live view (jobs.watch) on one API process follows jobs another accepted and ran", async () => {
  const view = await openSse(`${b.url}/trpc/jobs.watch`, auth(a.key));
  expect(view.status).toBe(200);
  // The view's first message (the unfinished jobs, or "connected") says it is listening.
  await expect.poll(() => view.events.length, { timeout: 30_000 }).toBeGreaterThan(0);
  const jobId = await submit({ type: "image", prompt: "quick", model: "dev-noop" });
  const statuses = () =>
    view.events.filter((e) => (e.data as { jobId?: string }).jobId === jobId).map((e) => e.data.status);
  await expect.poll(statuses, { timeout: 30_000 }).toContain("completed");
  view.close();
  await view.ended;
});
