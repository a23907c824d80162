import { execFile, execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { createAccountWithKey } from "@mcpmediaengine/engine";
import {
  AuthenticationError,
  InsufficientCreditsError,
  MediaEngine,
  NotFoundError,
  verifyWebhook,
  WebhookVerificationError,
} from "@mcpmediaengine/sdk";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestServer, type TestServer } from "./harness";
import { pngSize } from "./mcp-client";
import { WebhookReceiver } from "./webhook-receiver";

const run = promisify(execFile);

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

test("the SDK against a real engine: createAndWait a blog hero, download it, list, estimate, account", async () => {
  const engine = new MediaEngine({ apiKey: server.key, baseUrl: server.url });
  const updates: string[] = [];
  const job = await engine.jobs.createAndWait(
    { type: "image", prompt: "Shipping an SDK people trust", preset: "blog_thumbnail" },
    { intervalMs: 50, onUpdate: (j) => updates.push(j.status) },
  );
  expect(job.status).toBe("completed");
  expect(updates.at(-1)).toBe("completed");
  const png = Buffer.from(await (await fetch(job.result!.assets[0]!.url)).arrayBuffer());
  expect(pngSize(png)).toEqual({ width: 1200, height: 630 });
  expect((await engine.jobs.list({ limit: 5 })).data.map((j) => j.jobId)).toContain(job.jobId);
  expect(
    (await engine.jobs.estimate({ type: "image", prompt: "x", preset: "social_post" })).credits,
  ).toBeGreaterThan(0);
  expect((await engine.account.get()).plan).toBe("enterprise");
  expect((await engine.models.list()).data.some((m) => m.id === "local-studio")).toBe(true);
});

test("the engine's errors arrive typed: 404, 402, 401", async () => {
  const engine = new MediaEngine({ apiKey: server.key, baseUrl: server.url });
  await expect(engine.jobs.get("job_0000000000aaaaaaaaaaaaaa")).rejects.toBeInstanceOf(NotFoundError);
  const { apiKey } = await createAccountWithKey({
    ctx: server.engine,
    name: "poor",
    plan: "enterprise",
    credits: 0,
  });
  const poor = new MediaEngine({ apiKey, baseUrl: server.url });
  const refused = await poor.jobs
    .create({ type: "image", prompt: "x", model: "dev-noop" })
    .catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(InsufficientCreditsError);
  expect(refused).toMatchObject({ status: 402, code: "insufficient_credits", details: { balance: 0 } });
  expect((refused as InsufficientCreditsError).requestId).toMatch(/^req_/);
  const stranger = new MediaEngine({ apiKey: "mme_sk_not_a_real_key_at_all", baseUrl: server.url });
  await expect(stranger.account.get()).rejects.toBeInstanceOf(AuthenticationError);
});

test("keys, usage and the ledger through the SDK (the CSV export too)", async () => {
  const { apiKey } = await createAccountWithKey({ ctx: server.engine, name: "sdk console", plan: "starter" });
  const engine = new MediaEngine({ apiKey, baseUrl: server.url });
  const created = await engine.keys.create({ name: "made by the SDK" });
  expect(created.apiKey).toMatch(/^mme_sk_/);
  expect((await engine.keys.list()).data.map((k) => k.name)).toContain("made by the SDK");
  const job = await engine.jobs.createAndWait(
    { type: "image", prompt: "x", model: "dev-noop" },
    { intervalMs: 50 },
  );
  const usage = await engine.usage.get({ groupBy: "model" });
  expect(usage.data).toEqual([
    expect.objectContaining({ model: "dev-noop", creditsSpent: job.cost.credits }),
  ]);
  const ledger = await engine.credits.ledger({ limit: 2 });
  expect(ledger.data).toHaveLength(2);
  expect(ledger.nextCursor).not.toBeNull();
  const csv = await engine.credits.exportCsv();
  expect(csv.split("\r\n")[0]).toBe("entryId,createdAt,kind,amount,jobId,batchId,reason");
  expect(csv).toContain(ledger.data[0]!.entryId);
  expect((await engine.keys.revoke(created.keyId)).revokedAt).not.toBeNull();
  await expect(
    new MediaEngine({ apiKey: created.apiKey, baseUrl: server.url }).account.get(),
  ).rejects.toBeInstanceOf(AuthenticationError);
  await expect(engine.keys.revoke("key_0000000000aaaaaaaaaaaaaa")).rejects.toBeInstanceOf(NotFoundError);
});

test("batches through the SDK, and a real webhook delivery verified with verifyWebhook", async () => {
  const engine = new MediaEngine({ apiKey: server.key, baseUrl: server.url });
  const { secret } = await engine.webhooks.secret.get();
  const batch = await engine.batches.create({
    jobs: [{ prompt: "a" }, { prompt: "b" }],
    defaults: { type: "image", model: "dev-noop" },
    webhookUrl: `${receiver.url}/sdk-batch`,
  });
  expect(batch.jobIds).toHaveLength(2);
  for (const jobId of batch.jobIds) await engine.jobs.wait(jobId, { intervalMs: 50 });
  const deadline = Date.now() + 20_000;
  while (!receiver.received.some((r) => r.path === "/sdk-batch") && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const delivery = receiver.received.find((r) => r.path === "/sdk-batch")!;
  const event = await verifyWebhook(delivery.body, delivery.headers as Record<string, string>, secret);
  expect(event.type).toBe("batch.completed");
  await expect(
    verifyWebhook(delivery.body, delivery.headers as Record<string, string>, "whsec_c2Vjb25k"),
  ).rejects.toBeInstanceOf(WebhookVerificationError);
  expect((await engine.batches.get(batch.batchId)).status).toBe("completed");
  expect((await engine.batches.jobs(batch.batchId)).data).toHaveLength(2);
});

test("packed with pnpm and installed by npm into a project outside the workspace, it type-checks and runs", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mme-sdk-consumer-"));
  chmodSync(dir, 0o755);
  const sdkDir = resolve(import.meta.dirname, "../../../packages/sdk");
  execFileSync("pnpm", ["run", "build"], { cwd: sdkDir, stdio: "ignore" });
  execFileSync("pnpm", ["pack", "--pack-destination", dir], { cwd: sdkDir, stdio: "ignore" });
  const tarball = readdirSync(dir).find((f) => f.endsWith(".tgz"))!;
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module" }),
  );
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", `./${tarball}`], {
    cwd: dir,
  });
  writeFileSync(
    join(dir, "main.ts"),
    // No @types/node: the SDK's declarations must not need them (it runs beyond Node too).
    `declare const process: { env: Record<string, string | undefined> };
import { MediaEngine, type Job, NotFoundError } from "@mcpmediaengine/sdk";
import { verifyWebhook } from "@mcpmediaengine/sdk/webhooks";
const engine = new MediaEngine({ apiKey: process.env.KEY!, baseUrl: process.env.URL! });
const job: Job = await engine.jobs.createAndWait({ type: "image", prompt: "from a consumer", model: "dev-noop" });
const missing = await engine.jobs.get("job_0000000000aaaaaaaaaaaaaa").catch((e: unknown) => e instanceof NotFoundError);
console.log(JSON.stringify({ status: job.status, missing, verify: typeof verifyWebhook }));
`,
  );
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "es2022",
        module: "nodenext",
        moduleResolution: "nodenext",
        strict: true,
        noEmit: true,
        types: [],
        lib: ["es2022", "dom"],
      },
      files: ["main.ts"],
    }),
  );
  const tsc = resolve(import.meta.dirname, "../../../node_modules/typescript/bin/tsc");
  execFileSync(process.execPath, [tsc, "-p", dir]);
  // Node 20 runs the script once TypeScript has removed its types (the SDK itself is plain JS).
  execFileSync(process.execPath, [tsc, "-p", dir, "--noEmit", "false", "--outDir", join(dir, "out")]);
  // Asynchronously: the engine it calls runs in this process and must keep answering.
  const { stdout } = await run(process.execPath, [join(dir, "out", "main.js")], {
    env: { ...process.env, KEY: server.key, URL: server.url },
  });
  expect(JSON.parse(stdout)).toEqual({ status: "completed", missing: true, verify: "function" });
}, 180_000);
