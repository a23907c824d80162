import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Asset, Job, WebhookSecret } from "@mcpmediaengine/contract";
import { expireAssets } from "@mcpmediaengine/engine";
import { APP_URI } from "@mcpmediaengine/mcp-app";
import { startS3Server, type TestS3 } from "@mcpmediaengine/testing/s3";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { presignedOrigins } from "../src/boot/presigned-origins";
import { readEnv } from "../src/env";
import { startTestServer, type TestServer, waitForJob } from "./harness";
import { WebhookReceiver } from "./webhook-receiver";

// Issue 17, object storage: engines whose assets live in a real S3 protocol server (s3rver), one prefix each.
let s3: TestS3;
beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(() => s3.stop());

const IMAGE = { type: "image", prompt: "a lighthouse in fog", width: 320, height: 240, seed: 3 };
const DAY = 24 * 3600_000;

async function submit(server: TestServer, body: object): Promise<string> {
  const response = await server.api("/v1/jobs", { method: "POST", body: JSON.stringify(body) });
  expect(response.status).toBe(202);
  return ((await response.json()) as Job).jobId;
}

const mainAsset = (job: Record<string, unknown>) => (job as unknown as Job).result!.assets[0]!;
const sha256 = (bytes: ArrayBuffer) => createHash("sha256").update(Buffer.from(bytes)).digest("hex");
const localFiles = (server: TestServer) => {
  const folder = join(server.dataDir, "assets");
  return existsSync(folder) ? readdirSync(folder, { recursive: true }) : [];
};

describe("signed URLs streamed from the bucket, with retention", () => {
  let server: TestServer;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    server = await startTestServer({ env: { ...s3.env("signed"), MME_ASSET_RETENTION_DAYS: "30" } });
    receiver = await new WebhookReceiver().start();
    const { secret } = (await (await server.api("/v1/webhooks/secret")).json()) as WebhookSecret;
    receiver.secrets.push(secret);
  });
  afterAll(async () => {
    await receiver.stop();
    await server.stop();
  });

  test("a job's files go to the bucket before it completes, and download whole or by range", async () => {
    const jobId = await submit(server, { ...IMAGE, webhookUrl: `${receiver.url}/hook` });
    const job = await waitForJob(server, jobId);
    expect(job.status).toBe("completed");
    const asset = mainAsset(job);
    const key = `signed/${asset.sha256.slice(0, 2)}/${asset.sha256.slice(2, 4)}/${asset.sha256}`;
    expect(await s3.keys("signed/")).toContain(key);
    expect(localFiles(server)).toEqual([]);

    const whole = await fetch(asset.url);
    expect(whole.status).toBe(200);
    expect(whole.headers.get("content-type")).toBe("image/png");
    const bytes = await whole.arrayBuffer();
    expect(sha256(bytes)).toBe(asset.sha256);
    expect(bytes.byteLength).toBe(asset.bytes);

    const part = await fetch(asset.url, { headers: { range: "bytes=100-199" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 100-199/${asset.bytes}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(Buffer.from(bytes).subarray(100, 200))).toBe(true);
    const tail = await fetch(asset.url, { headers: { range: "bytes=-10" } });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(Buffer.from(bytes).subarray(-10))).toBe(true);

    // expiresAt: made + 30 days, in the job and in its verified webhook body alike.
    const expiresAt = Date.parse(asset.expiresAt!);
    expect(expiresAt - Date.parse((job as unknown as Job).createdAt)).toBeGreaterThan(30 * DAY - 60_000);
    expect(expiresAt - Date.parse((job as unknown as Job).createdAt)).toBeLessThan(30 * DAY + 60_000);
    const [event] = await receiver.waitFor("/hook", 1, 30_000);
    const sent = (event!.verified as { data: { job: Job } }).data.job.result!.assets[0]!;
    expect(sent.expiresAt).toBe(asset.expiresAt);
  });

  test("a store that does not answer a download is 503 with Retry-After, never a broken body", async () => {
    const job = await waitForJob(server, await submit(server, { ...IMAGE, seed: 5 }));
    const asset = mainAsset(job);
    s3.refuse((r) => r.method === "GET" && r.path.endsWith(asset.sha256), 503);
    try {
      const response = await fetch(asset.url);
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("service_unavailable");
    } finally {
      s3.allow();
    }
    expect((await fetch(asset.url)).status).toBe(200);
  });

  test("retention deletes an old asset from the bucket; its URL answers 410 asset_expired", async () => {
    const job = await waitForJob(server, await submit(server, { ...IMAGE, seed: 4 }));
    const asset = mainAsset(job);
    await server.t.pool.query(
      "update assets set created_at = created_at - interval '31 days' where job_id = $1",
      [job.jobId],
    );
    const run = await expireAssets({ ctx: server.engine });
    expect(run).toMatchObject({ expired: 1, objectsDeleted: 1 });
    expect((await s3.keys("signed/")).some((k) => k.endsWith(asset.sha256))).toBe(false);

    const gone = await fetch(asset.url);
    expect(gone.status).toBe(410);
    expect(((await gone.json()) as { error: { code: string } }).error.code).toBe("asset_expired");
    const listed = (await (await server.api(`/v1/jobs/${job.jobId}`)).json()) as Job;
    expect(Date.parse(listed.result!.assets[0]!.expiresAt!)).toBeLessThanOrEqual(Date.now());
    // A wrong signature still learns nothing: 404, as for an id that never existed.
    expect((await fetch(asset.url.replace(/sig=[^&]+/, "sig=AAAA"))).status).toBe(404);
  });
});

describe("presigned URLs", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { ...s3.env("presigned"), MME_ASSET_URLS: "presigned" } });
  });
  afterAll(() => server.stop());

  test("an asset URL redirects to the store, which serves the file and its ranges", async () => {
    const job = await waitForJob(server, await submit(server, IMAGE));
    const asset: Asset = mainAsset(job);
    expect(asset.expiresAt).toBeNull(); // no retention here
    const redirect = await fetch(asset.url, { redirect: "manual" });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("cache-control")).toBe("no-store");
    const location = redirect.headers.get("location")!;
    expect(location.startsWith(`${s3.endpoint}/${s3.bucket}/presigned/`)).toBe(true);
    expect(new URL(location).searchParams.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);

    const whole = await fetch(asset.url);
    expect(whole.status).toBe(200);
    expect(whole.headers.get("content-type")).toBe("image/png");
    expect(sha256(await whole.arrayBuffer())).toBe(asset.sha256);
    const part = await fetch(asset.url, { headers: { range: "bytes=0-15" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 0-15/${asset.bytes}`);
    expect((await part.arrayBuffer()).byteLength).toBe(16);

    // HEAD is answered by the engine (a presigned URL is signed for GET only).
    const head = await fetch(asset.url, { method: "HEAD", redirect: "manual" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(asset.bytes));
  });

  test("the console's CSP may show media from the store the asset URLs redirect to, and only in presigned mode", async () => {
    expect(await presignedOrigins(server.engine.assets, "presigned")).toEqual([new URL(s3.endpoint).origin]);
    expect(await presignedOrigins(server.engine.assets, "signed")).toEqual([]);
  });

  test("so does the MCP app's: its resource declares the engine's origin and the store's", async () => {
    const client = new Client({ name: "csp-test", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${server.key}` } },
      }),
    );
    const read = await client.readResource({ uri: APP_URI });
    const ui = (read.contents[0]!._meta as { ui: { csp: { resourceDomains: string[] } } }).ui;
    expect(ui.csp.resourceDomains).toEqual([new URL(server.url).origin, new URL(s3.endpoint).origin]);
    await client.close();
  });
});

test("with the assets in a bucket and DATABASE_URL, a process needs no data folder at all", async () => {
  // A folder that cannot exist (its parent is a file): a process with local assets refuses to start on it.
  const file = join(mkdtempSync(join(tmpdir(), "mme-no-folder-")), "a-file");
  writeFileSync(file, "");
  const server = await startTestServer({ env: { ...s3.env("nofolder"), MME_DATA_DIR: join(file, "data") } });
  try {
    const job = await waitForJob(server, await submit(server, IMAGE));
    expect(job.status).toBe("completed");
    expect((await fetch(mainAsset(job).url)).status).toBe(200);
  } finally {
    await server.stop();
  }
});

describe("a store that refuses writes", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { ...s3.env("refusing"), MME_JOB_MAX_ATTEMPTS: "2" } });
  });
  afterAll(() => server.stop());

  test("the job fails with storage_error after its attempts, its credits come back, no object is left", async () => {
    const balance = async () =>
      ((await (await server.api("/v1/account")).json()) as { balance: number }).balance;
    const before = await balance();
    s3.refuse((r) => r.path.startsWith(`/${s3.bucket}/refusing/`) && r.method === "PUT", 500);
    try {
      const job = await waitForJob(server, await submit(server, IMAGE), 60_000);
      expect(job).toMatchObject({ status: "failed", attempts: 2, error: { code: "storage_error" } });
      expect((job as unknown as Job).error!.message).toMatch(/InternalError/);
    } finally {
      s3.allow();
    }
    expect(await balance()).toBe(before);
    expect(await s3.keys("refusing/")).toEqual([]);
    expect(localFiles(server)).toEqual([]);
  });
});

test("settings: bad storage values stop the start with a message naming them, and no secret", () => {
  const bad = (env: Record<string, string>) => {
    try {
      readEnv(env);
      return "";
    } catch (error) {
      return (error as Error).message;
    }
  };
  expect(bad({ MME_ASSET_URLS: "presigned" })).toMatch(/MME_ASSET_URLS: presigned needs an S3 store/);
  expect(bad({ MME_STORAGE_URL: "https://bucket.example.com" })).toMatch(
    /MME_STORAGE_URL: must look like s3:/,
  );
  expect(bad({ MME_STORAGE_URL: "s3://Bad_Bucket/x" })).toMatch(
    /MME_STORAGE_URL: "Bad_Bucket" is not a bucket/,
  );
  expect(bad({ MME_ASSET_RETENTION_DAYS: "0" })).toMatch(/MME_ASSET_RETENTION_DAYS/);
  const message = bad({ MME_STORAGE_URL: "s3://media", AWS_SECRET_ACCESS_KEY: "very-secret-value" });
  expect(message).toMatch(/AWS_ACCESS_KEY_ID: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY go together/);
  expect(message).not.toContain("very-secret-value");
  expect(readEnv({ MME_STORAGE_URL: "s3://media/a/b/" }).MME_STORAGE_URL).toEqual({
    bucket: "media",
    prefix: "a/b/",
  });
});
