import type { Job, WebhookSecret } from "@mcpmediaengine/contract";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type CliProcess, runCli } from "./cli";
import { startTestServer, type TestServer } from "./harness";
import { WebhookReceiver } from "./webhook-receiver";

// The API runs in this process; workers are real processes of the CLI on the same database and data folder.
let server: TestServer;
const workers: CliProcess[] = [];

beforeAll(async () => {
  server = await startTestServer({ role: "api" });
});
afterAll(async () => {
  for (const w of workers) w.child.kill("SIGKILL");
  await server.stop();
});

function startWorkerProcess(env: Record<string, string> = {}): CliProcess {
  const worker = runCli(["start", "--role", "worker"], {
    DATABASE_URL: server.t.connectionString,
    MME_DATA_DIR: server.dataDir,
    MME_DEV_MODELS: "1",
    MME_WORKER_HEARTBEAT_MS: "200",
    MME_WORKER_STALE_MS: "2000",
    MME_WEBHOOK_ALLOW_PRIVATE: "1",
    ...env,
  });
  workers.push(worker);
  return worker;
}

async function submit(prompt: string, model = "dev-sleep"): Promise<string> {
  const response = await server.api("/v1/jobs", {
    method: "POST",
    body: JSON.stringify({ type: "image", prompt, model }),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as Job).jobId;
}

async function until(jobId: string, statuses: string[], timeoutMs = 60_000): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = (await (await server.api(`/v1/jobs/${jobId}`)).json()) as Job;
    if (statuses.includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} is ${job.status}, not ${statuses.join("/")}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

test("a worker killed with SIGKILL mid-job does not strand the job: it runs again and completes", async () => {
  const doomed = startWorkerProcess();
  await doomed.waitFor(/working/);
  const jobId = await submit("sleep 3000");
  await until(jobId, ["processing"], 20_000);
  doomed.child.kill("SIGKILL");
  expect((await doomed.exited).signal).toBe("SIGKILL");

  const rescuer = startWorkerProcess();
  const job = await until(jobId, ["completed", "failed"]);
  expect(job.status).toBe("completed");
  expect(job.attempts).toBe(2);
  rescuer.child.kill("SIGTERM");
  expect((await rescuer.exited).code).toBe(0);
});

test("SIGTERM lets the running job finish before the worker exits", async () => {
  const worker = startWorkerProcess();
  await worker.waitFor(/working/);
  const jobId = await submit("sleep 1500");
  await until(jobId, ["processing"], 20_000);
  worker.child.kill("SIGTERM");
  expect((await worker.exited).code).toBe(0);
  const job = await until(jobId, ["completed", "failed", "queued"], 10_000);
  expect(job.status).toBe("completed");
  expect(job.attempts).toBe(1);
});

test("SIGTERM with a job longer than the grace period: the worker exits 0 and the job goes back unspent", async () => {
  const worker = startWorkerProcess({ MME_SHUTDOWN_GRACE_SECONDS: "1" });
  await worker.waitFor(/working/);
  const jobId = await submit("sleep 600000");
  await until(jobId, ["processing"], 20_000);
  worker.child.kill("SIGTERM");
  expect((await worker.exited).code).toBe(0);
  const handedBack = await until(jobId, ["queued", "processing", "completed", "failed"], 10_000);
  expect(handedBack).toMatchObject({ status: "queued", attempts: 0 });
  // Another worker takes it up; it is aborted again by this test's cancel, which also shows the slot is free.
  const next = startWorkerProcess();
  await until(jobId, ["processing"], 30_000);
  const canceled = (await (await server.api(`/v1/jobs/${jobId}/cancel`, { method: "POST" })).json()) as Job;
  expect(canceled).toMatchObject({ status: "canceled", attempts: 1 });
  next.child.kill("SIGTERM");
  expect((await next.exited).code).toBe(0);
});

test("two worker processes on one database never run a job twice", async () => {
  const a = startWorkerProcess();
  const b = startWorkerProcess();
  await Promise.all([a.waitFor(/working/), b.waitFor(/working/)]);
  const ids = await Promise.all(Array.from({ length: 40 }, (_, i) => submit(`job ${i}`, "dev-noop")));
  const jobs = await Promise.all(ids.map((id) => until(id, ["completed", "failed"])));
  expect(jobs.every((j) => j.status === "completed" && j.attempts === 1)).toBe(true);
  a.child.kill("SIGTERM");
  b.child.kill("SIGTERM");
  expect((await a.exited).code).toBe(0);
  expect((await b.exited).code).toBe(0);
});

test("a worker killed while delivering a webhook: another worker delivers it, under the same webhook-id", async () => {
  const receiver = await new WebhookReceiver().start();
  try {
    const { secret } = (await (await server.api("/v1/webhooks/secret")).json()) as WebhookSecret;
    receiver.secrets.push(secret);
    receiver.on("/hook", (_, n) => (n === 1 ? { status: 200, hang: true } : { status: 200 }));
    const doomed = startWorkerProcess();
    await doomed.waitFor(/working/);
    const response = await server.api("/v1/jobs", {
      method: "POST",
      body: JSON.stringify({
        type: "image",
        prompt: "x",
        model: "dev-noop",
        webhookUrl: `${receiver.url}/hook`,
      }),
    });
    const { jobId } = (await response.json()) as Job;
    await receiver.waitFor("/hook", 1); // the job completed and its event is on the wire when the worker dies
    doomed.child.kill("SIGKILL");
    await doomed.exited;
    const rescuer = startWorkerProcess();
    const [first, second] = await receiver.waitFor("/hook", 2, 60_000);
    expect(second!.headers["webhook-id"]).toBe(first!.headers["webhook-id"]);
    expect(second!.verified).toMatchObject({ type: "job.completed", data: { job: { jobId } } });
    rescuer.child.kill("SIGTERM");
    expect((await rescuer.exited).code).toBe(0);
  } finally {
    await receiver.stop();
  }
});
