import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestServer, type TestServer, waitForJob } from "./harness";

// One worker slot, so the test decides what waits: a job holding it keeps every other job queued.
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { MME_WORKER_CONCURRENCY: "1" } });
});
afterAll(async () => {
  await server?.stop();
});

interface JobView {
  jobId: string;
  status: string;
  startedAt: string | null;
  completedAt: string | null;
  cost: { credits: number };
}

async function submit(body: Record<string, unknown>, key = server.key): Promise<JobView> {
  const response = await server.api("/v1/jobs", { method: "POST", body: JSON.stringify(body), key });
  expect(response.status).toBe(202);
  return (await response.json()) as JobView;
}

const getJob = async (jobId: string, key = server.key) =>
  (await (await server.api(`/v1/jobs/${jobId}`, { key })).json()) as JobView;
const balance = async (key = server.key) =>
  ((await (await server.api("/v1/account", { key })).json()) as { balance: number }).balance;

test("cancelAfter cancels a job not ended by then, queued or running, and releases its credits", async () => {
  const before = await balance();
  // Holds the only worker slot until its deadline: canceled while it runs.
  const running = await submit({ type: "image", prompt: "sleep 600000", model: "dev-sleep", cancelAfter: 6 });
  await expect.poll(async () => (await getJob(running.jobId)).status, { timeout: 30_000 }).toBe("processing");
  // Waits behind it, holding its credits, and its own deadline passes first.
  const queued = await submit({
    type: "image",
    prompt: "a red chair",
    model: "local-studio",
    cancelAfter: 1,
  });
  expect(queued.cost.credits).toBeGreaterThan(0);
  expect(await balance()).toBe(before - running.cost.credits - queued.cost.credits);
  expect((await waitForJob(server, queued.jobId)).status).toBe("canceled");
  expect((await waitForJob(server, running.jobId)).status).toBe("canceled");
  expect((await getJob(queued.jobId)).startedAt).toBeNull();
  expect(await balance()).toBe(before);
  const logs = (await (await server.api(`/v1/jobs/${queued.jobId}/logs`)).json()) as {
    data: { kind: string; message: string }[];
  };
  expect(logs.data.map((l) => l.kind)).toContain("deadline");
  expect(logs.data.at(-1)!.message).toMatch(/cancelAfter|queued -> canceled/);
  // Out of range is refused at submission.
  const refused = await server.api("/v1/jobs", {
    method: "POST",
    body: JSON.stringify({ type: "image", prompt: "x", cancelAfter: 0 }),
  });
  expect(refused.status).toBe(400);
});

test("a low-priority job runs only when no normal job of any account is waiting", async () => {
  const other = await server.newKey();
  const blocker = await submit({ type: "image", prompt: "sleep 600000", model: "dev-sleep" });
  await expect.poll(async () => (await getJob(blocker.jobId)).status, { timeout: 30_000 }).toBe("processing");
  // Submitted first, but low; the other account's normal job comes later and still goes first.
  const low = await submit({ type: "image", prompt: "low", model: "dev-noop", priority: "low" });
  const normal = await submit({ type: "image", prompt: "normal", model: "dev-noop" }, other);
  await server.api(`/v1/jobs/${blocker.jobId}/cancel`, { method: "POST" });
  const lowDone = await waitForJob(server, low.jobId);
  const normalDone = await waitForJob(server, normal.jobId, 30_000, other);
  expect(lowDone.status).toBe("completed");
  expect(normalDone.status).toBe("completed");
  expect(Date.parse(lowDone.startedAt as string)).toBeGreaterThanOrEqual(
    Date.parse(normalDone.completedAt as string),
  );
});

test("a batch's jobs are low priority unless it says normal", async () => {
  const blocker = await submit({ type: "image", prompt: "sleep 600000", model: "dev-sleep" });
  await expect.poll(async () => (await getJob(blocker.jobId)).status, { timeout: 30_000 }).toBe("processing");
  const batch = await server.api("/v1/batch", {
    method: "POST",
    body: JSON.stringify({
      defaults: { type: "image", model: "dev-noop" },
      jobs: [{ prompt: "b1" }, { prompt: "b2" }],
    }),
  });
  const { jobIds } = (await batch.json()) as { jobIds: string[] };
  const single = await submit({ type: "image", prompt: "single", model: "dev-noop" });
  await server.api(`/v1/jobs/${blocker.jobId}/cancel`, { method: "POST" });
  const singleDone = await waitForJob(server, single.jobId);
  for (const id of jobIds) {
    const done = await waitForJob(server, id);
    expect(Date.parse(done.startedAt as string)).toBeGreaterThanOrEqual(
      Date.parse(singleDone.completedAt as string),
    );
  }
});
