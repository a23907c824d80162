import { createHash } from "node:crypto";
import { AppError, type Job, newId } from "@mcpmediaengine/contract";
import type { Generator } from "@mcpmediaengine/media";
import { startS3Server, TEST_S3_CREDENTIALS, type TestS3 } from "@mcpmediaengine/testing/s3";
import { parseCrontab } from "graphile-worker";
import { sql } from "kysely";
import { afterAll, beforeAll, expect, test } from "vitest";
import { S3AssetStore } from "../src/assets/s3-store";
import type { Caller } from "../src/context";
import { createLog } from "../src/logger";
import { CRONTAB, TASKS } from "../src/queue/tasks";
import { expireAssets } from "../src/services/assets/expire-assets";
import { openAsset } from "../src/services/assets/open-asset";
import { readAsset } from "../src/services/assets/read-asset";
import { submitJob } from "../src/services/jobs/submit";
import { startWorker, type WorkerHandle } from "../src/worker/runner";
import { holdStoredFiles, storeFiles } from "../src/worker/store-files";
import { createHarness, ended, type Harness, until } from "./harness";

// Retention on a real S3 protocol server: the prompt is the file's bytes, so two jobs with one prompt share an
// object (content addressing), and the tests decide which assets are old by moving their created_at back.
const echo: Generator<"image"> = {
  model: "echo",
  type: "image",
  async generate(input) {
    return [{ data: Buffer.from(input.prompt), mimeType: "text/plain", extension: "txt" }];
  },
};

const DAY = 24 * 3600_000;
const PREFIX = "retention/";
let s3: TestS3;
let h: Harness;
let caller: Caller;
let worker: WorkerHandle;

beforeAll(async () => {
  s3 = await startS3Server();
  const store = new S3AssetStore({
    bucket: s3.bucket,
    prefix: PREFIX,
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: TEST_S3_CREDENTIALS,
  });
  h = await createHarness([echo], { assets: store, assetRetentionDays: 30 });
  caller = await h.newCaller();
  worker = await startWorker(h.ctx, {
    pool: h.t.pool,
    log: createLog("silent"),
    concurrency: 2,
    recovery: { heartbeatMs: 1000, staleAfterMs: 10_000 },
  });
});
afterAll(async () => {
  await worker.stop();
  await h.close();
  await s3.stop();
});

async function made(prompt: string): Promise<Job> {
  const { jobId } = await submitJob({
    ctx: h.ctx,
    caller,
    scope: h.scope,
    input: { type: "image", prompt, model: "echo" },
  });
  const job = await until(h, caller, jobId, ended);
  expect(job.status).toBe("completed");
  return job;
}

const sha = (value: string) => createHash("sha256").update(value).digest("hex");
const keyOf = (value: string) => `${PREFIX}${sha(value).slice(0, 2)}/${sha(value).slice(2, 4)}/${sha(value)}`;
const assetOf = (job: Job) => job.result!.assets[0]!;
const ageJob = (job: Job, days: number) =>
  sql`update assets set created_at = created_at - make_interval(days => ${days}) where job_id = ${job.jobId}`.execute(
    h.t.db,
  );
const open = (job: Job) => {
  const url = new URL(assetOf(job).url);
  return openAsset({
    ctx: h.ctx,
    input: { assetId: assetOf(job).assetId, sig: url.searchParams.get("sig") ?? undefined },
  });
};
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "ok",
    (error: unknown) => (error instanceof AppError ? `${error.status} ${error.code}` : String(error)),
  );

test("expiresAt is when the asset was made plus the retention period", async () => {
  const job = await made("fresh");
  const row = await h.t.db
    .selectFrom("assets")
    .select("created_at")
    .where("id", "=", assetOf(job).assetId)
    .executeTakeFirstOrThrow();
  expect(assetOf(job).expiresAt).toBe(new Date(row.created_at.getTime() + 30 * DAY).toISOString());
});

test("old assets are deleted, objects a newer asset shares stay, and a deleted asset is 410", async () => {
  const oldShared = await made("shared bytes");
  const oldAlone = await made("lonely bytes");
  await ageJob(oldShared, 31);
  await ageJob(oldAlone, 31);
  const newShared = await made("shared bytes");
  expect(assetOf(newShared).sha256).toBe(assetOf(oldShared).sha256);

  const now = new Date();
  const run = await expireAssets({ ctx: h.ctx, now });
  expect(run).toMatchObject({ expired: 2, objectsDeleted: 1, objectsKept: 1, objectsFailed: 0 });
  const keys = await s3.keys(PREFIX);
  expect(keys).toContain(keyOf("shared bytes"));
  expect(keys).not.toContain(keyOf("lonely bytes"));

  // The deleted assets are still listed by their jobs, with when they went, and answer 410 asset_expired.
  const listed = await until(h, caller, oldAlone.jobId, ended);
  expect(assetOf(listed).expiresAt).toBe(now.toISOString());
  expect(await codeOf(open(oldAlone))).toBe("410 asset_expired");
  expect(await codeOf(open(oldShared))).toBe("410 asset_expired");
  expect(
    await codeOf(readAsset({ ctx: h.ctx, caller, input: { assetId: assetOf(oldShared).assetId } })),
  ).toBe("410 asset_expired");
  // The newer job's asset, on the same object, is untouched.
  expect(await codeOf(open(newShared))).toBe("ok");
  const read = await readAsset({ ctx: h.ctx, caller, input: { assetId: assetOf(newShared).assetId } });
  expect(read.data.toString()).toBe("shared bytes");

  // Once the last asset on it is old too, the object goes; a second run then has nothing to do.
  await ageJob(newShared, 31);
  expect(await expireAssets({ ctx: h.ctx })).toMatchObject({ expired: 1, objectsDeleted: 1 });
  expect(await s3.keys(PREFIX)).not.toContain(keyOf("shared bytes"));
  expect(await expireAssets({ ctx: h.ctx })).toEqual({
    expired: 0,
    objectsDeleted: 0,
    objectsKept: 0,
    objectsFailed: 0,
  });
});

test("with retention off nothing is deleted", async () => {
  const job = await made("kept for ever");
  await ageJob(job, 3650);
  const run = await expireAssets({ ctx: { ...h.ctx, assetRetentionMs: undefined } });
  expect(run.expired).toBe(0);
  expect(await s3.keys(PREFIX)).toContain(keyOf("kept for ever"));
  await ageJob(job, -3650); // young again, so the next tests' runs leave it alone
});

test("an object the store fails to delete stays queued, and goes at the next run", async () => {
  const job = await made("stubborn bytes");
  await ageJob(job, 3650);
  s3.refuse((r) => r.method === "DELETE" && r.path.endsWith(sha("stubborn bytes")));
  let run: Awaited<ReturnType<typeof expireAssets>>;
  try {
    run = await expireAssets({ ctx: h.ctx });
  } finally {
    s3.allow();
  }
  expect(run).toMatchObject({ objectsDeleted: 0, objectsFailed: 1 });
  expect(run.lastFailure).toMatch(/InternalError/);
  expect(await s3.keys(PREFIX)).toContain(keyOf("stubborn bytes"));
  const queued = await h.t.db.selectFrom("asset_object_deletions").select("sha256").execute();
  expect(queued.map((q) => q.sha256)).toContain(sha("stubborn bytes"));

  expect(await expireAssets({ ctx: h.ctx })).toMatchObject({ objectsDeleted: 1, objectsFailed: 0 });
  expect(await s3.keys(PREFIX)).not.toContain(keyOf("stubborn bytes"));
});

test("a job that stored an object retention then deleted puts it back before it completes", async () => {
  const old = await made("phoenix bytes");
  const files = await echo.generate({ prompt: "phoenix bytes" } as never, {} as never);
  const stored = await storeFiles(h.ctx, files); // found there: nothing uploaded
  await ageJob(old, 3650);
  expect(await expireAssets({ ctx: h.ctx })).toMatchObject({ expired: 1, objectsDeleted: 1 });
  expect(await s3.keys(PREFIX)).not.toContain(keyOf("phoenix bytes"));

  await h.t.db.transaction().execute((trx) => holdStoredFiles(trx, h.ctx, files, stored));
  expect(await s3.keys(PREFIX)).toContain(keyOf("phoenix bytes"));
});

test("retention waits for a job holding an object, and then keeps the object the job refers to", async () => {
  const old = await made("contested bytes");
  const files = await echo.generate({ prompt: "contested bytes" } as never, {} as never);
  const stored = await storeFiles(h.ctx, files);
  await ageJob(old, 3650);
  let commit!: () => void;
  const committed = new Promise<void>((resolve) => {
    commit = resolve;
  });
  let held!: () => void;
  const holding = new Promise<void>((resolve) => {
    held = resolve;
  });
  // A job completing: it holds the object, and its asset row is not committed yet.
  const completing = h.t.db.transaction().execute(async (trx) => {
    await holdStoredFiles(trx, h.ctx, files, stored);
    held();
    await committed;
    await trx
      .insertInto("assets")
      .values({
        id: newId("asset"),
        job_id: old.jobId,
        account_id: caller.accountId,
        position: 1,
        sha256: stored[0]!.sha256,
        mime_type: "text/plain",
        extension: "txt",
        bytes: stored[0]!.bytes,
        width: null,
        height: null,
        duration_ms: null,
      })
      .execute();
  });
  await holding;
  const retention = expireAssets({ ctx: h.ctx });
  try {
    // Retention has marked the old asset and now waits for the object's lock.
    await expect
      .poll(async () => {
        const waiting = await sql<{ n: number }>`
          select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted
            and database = (select oid from pg_database where datname = current_database())`.execute(h.t.db);
        return waiting.rows[0]!.n;
      })
      .toBe(1);
  } finally {
    commit();
    await completing;
  }
  expect(await retention).toMatchObject({ expired: 1, objectsDeleted: 0, objectsKept: 1 });
  expect(await s3.keys(PREFIX)).toContain(keyOf("contested bytes"));
});

test("the hourly crontab entry runs retention", async () => {
  expect(parseCrontab(CRONTAB).map((item) => item.task)).toContain(TASKS.assetRetention);
  const job = await made("cron bytes");
  await ageJob(job, 3650);
  await sql`select graphile_worker.add_job(${TASKS.assetRetention}, json_build_object('_cron',
    json_build_object('ts', now())))`.execute(h.t.db);
  await expect
    .poll(async () => (await s3.keys(PREFIX)).includes(keyOf("cron bytes")), { timeout: 15_000 })
    .toBe(false);
  expect(await codeOf(open(job))).toBe("410 asset_expired");
});
