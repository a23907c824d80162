import { createHash, randomBytes } from "node:crypto";
import { buffer, text } from "node:stream/consumers";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { startS3Server, TEST_S3_CREDENTIALS, type TestS3 } from "@mcpmediaengine/testing/s3";
import { afterAll, beforeAll, expect, test } from "vitest";
import { S3AssetStore } from "./s3-store";
import { AssetMissingError, AssetStoreError } from "./store";

const MiB = 1024 * 1024;
let s3: TestS3;
let store: S3AssetStore;

beforeAll(async () => {
  s3 = await startS3Server();
  store = storeOn("media/assets/");
});
afterAll(() => s3.stop());

function storeOn(prefix: string, bucket = s3.bucket): S3AssetStore {
  return new S3AssetStore({
    bucket,
    prefix,
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: TEST_S3_CREDENTIALS,
    partBytes: 5 * MiB,
  });
}

const sha = (data: Buffer) => createHash("sha256").update(data).digest("hex");
const puts = () => s3.requests.filter((r) => r.method === "PUT" || r.method === "POST").length;

test("stores bytes once under their sha256 with the prefix, and reads ranges back", async () => {
  const data = Buffer.from("hello world");
  const first = await store.put(data, { contentType: "text/plain" });
  expect(first).toEqual({ sha256: sha(data), bytes: 11 });
  const before = puts();
  expect(await store.put(data)).toEqual(first); // there already: nothing is uploaded
  expect(puts()).toBe(before);
  expect(await s3.keys("media/")).toContain(`media/assets/b9/4d/${first.sha256}`);
  expect(await store.size(first.sha256)).toBe(11);
  expect(await text(await store.read(first.sha256))).toBe("hello world");
  expect(await text(await store.read(first.sha256, { start: 6, end: 10 }))).toBe("world");
  expect(store.location).toBe(`s3://${s3.bucket}/media/assets/`);
});

test("a large file goes up in parts and comes back whole", async () => {
  const data = randomBytes(11 * MiB);
  const stored = await store.put(data, { contentType: "video/mp4" });
  const parts = s3.requests.filter((r) => r.query.has("partNumber") && r.path.endsWith(stored.sha256));
  expect(parts.map((r) => r.query.get("partNumber")).sort()).toEqual(["1", "2", "3"]);
  expect((await buffer(await store.read(stored.sha256))).equals(data)).toBe(true);
  const tail = await buffer(await store.read(stored.sha256, { start: 11 * MiB - 10, end: 11 * MiB - 1 }));
  expect(tail.equals(data.subarray(11 * MiB - 10))).toBe(true);
});

test("lists, deletes, and says what is missing", async () => {
  const other = storeOn("elsewhere/");
  const a = await other.put(Buffer.from("a"));
  const b = await other.put(Buffer.from("b"));
  const listed: string[] = [];
  for await (const name of other.list()) listed.push(name);
  expect(listed.sort()).toEqual([a.sha256, b.sha256].sort());
  await other.delete(a.sha256);
  await other.delete(a.sha256); // deleting what is gone is no error
  expect(await other.size(a.sha256)).toBeUndefined();
  await expect(other.read(a.sha256)).rejects.toBeInstanceOf(AssetMissingError);
  expect(await s3.keys("elsewhere/")).toEqual([
    `elsewhere/${b.sha256.slice(0, 2)}/${b.sha256.slice(2, 4)}/${b.sha256}`,
  ]);
});

test("a presigned URL serves the object, ranges included, with the asked media type", async () => {
  const stored = await store.put(Buffer.from("presigned bytes"));
  const url = await store.presignedUrl(stored.sha256, { lifetimeSeconds: 600, contentType: "image/png" });
  expect(url.startsWith(`${s3.endpoint}/${s3.bucket}/media/assets/`)).toBe(true);
  expect(new URL(url).searchParams.get("X-Amz-Expires")).toBe("600");
  const whole = await fetch(url);
  expect(whole.status).toBe(200);
  expect(whole.headers.get("content-type")).toBe("image/png");
  expect(await whole.text()).toBe("presigned bytes");
  const part = await fetch(url, { headers: { range: "bytes=10-14" } });
  expect(part.status).toBe(206);
  expect(part.headers.get("content-range")).toBe("bytes 10-14/15");
  expect(await part.text()).toBe("bytes");
});

test("a store that refuses a part: the upload fails, is aborted, and leaves no object", async () => {
  const data = randomBytes(11 * MiB);
  const key = `media/assets/${sha(data).slice(0, 2)}/${sha(data).slice(2, 4)}/${sha(data)}`;
  s3.refuse((r) => r.method === "PUT" && r.query.get("partNumber") === "2");
  try {
    const error = await store.put(data).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AssetStoreError);
    expect((error as AssetStoreError).reason).toBe("InternalError");
  } finally {
    s3.allow();
  }
  const aborts = s3.requests.filter((r) => r.method === "DELETE" && r.path === `/${s3.bucket}/${key}`);
  expect(aborts).toHaveLength(1);
  expect(aborts[0]!.query.has("uploadId")).toBe(true);
  expect(await s3.keys("media/")).not.toContain(key);
  const missing = await s3.client
    .send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }))
    .catch((e: { name: string }) => e.name);
  expect(missing).toBe("NoSuchKey");
});

test("a store that refuses every write, and a bucket that does not exist, fail with AssetStoreError", async () => {
  s3.refuse((r) => r.method === "PUT", 403);
  try {
    const refused = await store.put(Buffer.from("refused")).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AssetStoreError);
    expect((refused as AssetStoreError).reason).toBe("AccessDenied");
  } finally {
    s3.allow();
  }
  expect(await store.size(sha(Buffer.from("refused")))).toBeUndefined();

  const nowhere = storeOn("", "no-such-bucket");
  const missing = await nowhere.put(Buffer.from("x")).catch((e: unknown) => e);
  expect((missing as AssetStoreError).reason).toBe("NoSuchBucket");
  expect(await nowhere.checkBucket()).toMatch(/reach the bucket no-such-bucket/);
  expect(await store.checkBucket()).toBeUndefined();
  expect(await store.checkRegion()).toBeUndefined();
});
