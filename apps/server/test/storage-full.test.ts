import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { Job, WebhookSecret } from "@mcpmediaengine/contract";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestServer, type TestServer, waitForJob } from "./harness";
import { WebhookReceiver } from "./webhook-receiver";

// Issue 15, defect 1: a full asset disk left jobs processing for ever with their credits held, and .tmp files
// behind. The disk here is a real 64 KiB tmpfs on the assets folder (mounting needs root, as CI runs).
const isRoot = process.getuid?.() === 0;

let server: TestServer;
let receiver: WebhookReceiver;
let assets: string;

beforeAll(async () => {
  if (!isRoot) return;
  server = await startTestServer({ env: { MME_JOB_MAX_ATTEMPTS: "2" } });
  assets = join(server.dataDir, "assets");
  mkdirSync(assets, { recursive: true });
  execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", assets]);
  receiver = await new WebhookReceiver().start();
  const { secret } = (await (await server.api("/v1/webhooks/secret")).json()) as WebhookSecret;
  receiver.secrets.push(secret);
});
afterAll(async () => {
  if (!isRoot) return;
  execFileSync("umount", ["-l", assets], { stdio: "ignore" });
  await receiver.stop();
  await server.stop();
});

const tempFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((name) => name.endsWith(".tmp"));

test.runIf(isRoot)(
  "jobs that cannot store their files fail with storage_error, release their credits and say so",
  async () => {
    const before = ((await (await server.api("/v1/account")).json()) as { balance: number }).balance;
    const ids: string[] = [];
    for (const seed of [1, 2, 3]) {
      const response = await server.api("/v1/jobs", {
        method: "POST",
        body: JSON.stringify({
          type: "image",
          prompt: "a harbour at dawn",
          preset: "blog_thumbnail",
          seed,
          webhookUrl: `${receiver.url}/hook`,
        }),
      });
      expect(response.status).toBe(202);
      ids.push(((await response.json()) as Job).jobId);
    }
    const jobs = await Promise.all(ids.map((id) => waitForJob(server, id, 120_000)));
    for (const job of jobs) {
      expect(job).toMatchObject({ status: "failed", attempts: 2, error: { code: "storage_error" } });
    }
    expect(tempFiles(assets)).toEqual([]);
    const after = ((await (await server.api("/v1/account")).json()) as { balance: number }).balance;
    expect(before).toEqual(expect.any(Number));
    expect(after).toBe(before);
    const ledger = await server.t.pool.query<{ ok: boolean }>(
      "select bool_and(a.balance = (select coalesce(sum(amount), 0) from credit_ledger where account_id = a.id)) as ok from accounts a",
    );
    expect(ledger.rows[0]!.ok).toBe(true);
    // Each job's one terminal event reaches the receiver, verified by the standardwebhooks package.
    const events = await receiver.waitFor("/hook", 3, 60_000);
    const failed = events.map((e) => e.verified as { type: string; data: { job: { jobId: string } } });
    expect(failed.map((e) => e.type)).toEqual(["job.failed", "job.failed", "job.failed"]);
    expect(new Set(failed.map((e) => e.data.job.jobId))).toEqual(new Set(ids));

    // Room again (the small disk is taken away): the next job completes.
    execFileSync("umount", ["-l", assets]);
    const response = await server.api("/v1/jobs", {
      method: "POST",
      body: JSON.stringify({ type: "image", prompt: "a harbour at dawn", preset: "blog_thumbnail", seed: 1 }),
    });
    const next = await waitForJob(server, ((await response.json()) as Job).jobId, 60_000);
    expect(next.status).toBe("completed");
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", assets]); // for afterAll's umount
  },
);
