import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { buffer } from "node:stream/consumers";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { startS3Server, TEST_S3_CREDENTIALS, type TestS3 } from "@mcpmediaengine/testing/s3";
import { afterAll, beforeAll, expect, test } from "vitest";
import { LocalAssetStore } from "../src/assets/local-store";
import { S3AssetStore } from "../src/assets/s3-store";
import { copyStore } from "../src/services/assets/copy-store";

// `assets migrate` underneath: the local disk into a real S3 protocol server.
let s3: TestS3;
beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(() => s3.stop());

const bucketStore = (prefix: string) =>
  new S3AssetStore({
    bucket: s3.bucket,
    prefix,
    endpoint: s3.endpoint,
    forcePathStyle: true,
    credentials: TEST_S3_CREDENTIALS,
    partBytes: 5 * 1024 * 1024,
  });

async function localStoreWith(contents: Buffer[]): Promise<{ store: LocalAssetStore; names: string[] }> {
  const store = new LocalAssetStore(mkdtempSync(join(tmpdir(), "mme-copy-")));
  const names: string[] = [];
  for (const data of contents) names.push((await store.put(data)).sha256);
  return { store, names };
}

const uploadsUnder = (prefix: string) =>
  s3.requests.filter(
    (r) => r.path.startsWith(`/${s3.bucket}/${prefix}`) && (r.method === "PUT" || r.query.has("uploads")),
  );

test("copies every object, large ones in parts, each read back intact", async () => {
  const big = randomBytes(6 * 1024 * 1024);
  const { store, names } = await localStoreWith([Buffer.from("one"), Buffer.from("two"), big]);
  const target = bucketStore("whole/");
  const report = await copyStore({ from: store, to: target });
  expect(report).toMatchObject({ copied: 3, present: 0, corrupt: [], failed: [] });
  expect(report.bytesCopied).toBe(6 + big.length);
  for (const name of names) {
    const copied = await buffer(await target.read(name));
    expect(createHash("sha256").update(copied).digest("hex")).toBe(name);
  }
  expect(uploadsUnder("whole/").some((r) => r.query.has("partNumber"))).toBe(true);
});

test("a second run resumes: what is there already is skipped, only the rest is copied", async () => {
  const { store, names } = await localStoreWith(["a", "b", "c", "d"].map((s) => Buffer.from(s)));
  const target = bucketStore("resume/");
  // An earlier run that stopped half way had copied two of them.
  await target.put(Buffer.from("a"));
  await target.put(Buffer.from("b"));
  const before = uploadsUnder("resume/").length;
  const report = await copyStore({ from: store, to: target });
  expect(report).toMatchObject({ copied: 2, present: 2, failed: [] });
  expect(uploadsUnder("resume/").length - before).toBe(2);
  expect((await s3.keys("resume/")).map((k) => k.split("/").pop()).sort()).toEqual([...names].sort());
  expect(await copyStore({ from: store, to: target })).toMatchObject({ copied: 0, present: 4 });
});

test("a source file whose bytes do not match its name is reported corrupt and not copied", async () => {
  const { store, names } = await localStoreWith([Buffer.from("good")]);
  const liar = createHash("sha256").update("what it claims").digest("hex");
  const path = store.pathOf(liar);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, "something else");
  const target = bucketStore("corrupt/");
  const report = await copyStore({ from: store, to: target });
  expect(report).toMatchObject({ copied: 1, corrupt: [liar], failed: [] });
  expect((await s3.keys("corrupt/")).map((k) => k.split("/").pop())).toEqual(names);
});

test("verifyExisting reads back what is there and replaces an object that is not its bytes", async () => {
  const data = Buffer.from("the real bytes");
  const { store, names } = await localStoreWith([data]);
  const name = names[0]!;
  const target = bucketStore("verify/");
  // Same size, other bytes: only reading it back tells.
  await s3.client.send(
    new PutObjectCommand({
      Bucket: s3.bucket,
      Key: `verify/${name.slice(0, 2)}/${name.slice(2, 4)}/${name}`,
      Body: Buffer.from("the fake bytes"),
    }),
  );
  expect(await copyStore({ from: store, to: target })).toMatchObject({ present: 1, replaced: 0 });
  expect(await copyStore({ from: store, to: target, verifyExisting: true })).toMatchObject({
    present: 0,
    replaced: 1,
    failed: [],
  });
  expect((await buffer(await target.read(name))).toString()).toBe("the real bytes");
});

test("a bucket that refuses writes: every object is reported failed, none half there", async () => {
  const { store } = await localStoreWith([Buffer.from("x"), Buffer.from("y")]);
  const target = bucketStore("refused/");
  s3.refuse((r) => r.method === "PUT" && r.path.startsWith(`/${s3.bucket}/refused/`), 403);
  try {
    const report = await copyStore({ from: store, to: target });
    expect(report.copied).toBe(0);
    expect(report.failed).toHaveLength(2);
    expect(report.failed[0]!.message).toMatch(/AccessDenied/);
  } finally {
    s3.allow();
  }
  expect(await s3.keys("refused/")).toEqual([]);
  expect(await copyStore({ from: store, to: target })).toMatchObject({ copied: 2, failed: [] });
});
