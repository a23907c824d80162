import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { LocalAssetStore } from "@mcpmediaengine/engine";
import { startS3Server, type TestS3 } from "@mcpmediaengine/testing/s3";
import { afterAll, beforeAll, expect, test } from "vitest";
import { runCli } from "./cli";

// `mcp-media-engine assets migrate`, the real CLI in its own process, into a real S3 protocol server.
let s3: TestS3;
beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(() => s3.stop());

/** The CLI's environment: the store's endpoint and credentials, as an operator would export them. */
const storeEnv = (dataDir: string) => {
  const { MME_STORAGE_URL: _unused, ...env } = s3.env();
  return { ...env, MME_DATA_DIR: dataDir };
};

async function run(args: string[], env: Record<string, string>) {
  const cli = runCli(args, env);
  const { code } = await cli.exited;
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

test("copies the data folder's assets into the bucket, resumes, and says what to do next", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "mme-migrate-"));
  const store = new LocalAssetStore(join(dataDir, "assets"));
  const names: string[] = [];
  for (const data of [Buffer.from("alpha"), Buffer.from("beta"), randomBytes(256 * 1024)]) {
    names.push((await store.put(data)).sha256);
  }
  const first = await run(["assets", "migrate", "--to", `s3://${s3.bucket}/media`], storeEnv(dataDir));
  expect(first.stderr).not.toMatch(/corrupt|failed/);
  expect(first.code).toBe(0);
  expect(first.stdout).toMatch(/3 copied \(0\.3 MB\), 0 already there, 0 replaced, 0 corrupt, 0 failed/);
  expect(first.stdout).toContain(`MME_STORAGE_URL=s3://${s3.bucket}/media`);
  const keys = await s3.keys("media/");
  expect(keys.map((k) => k.split("/").pop()).sort()).toEqual([...names].sort());
  expect(keys[0]).toMatch(/^media\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}$/);

  // One more file since (the engine kept writing), and a run again: only it is copied.
  names.push((await store.put(Buffer.from("gamma"))).sha256);
  const again = await run(["assets", "migrate", "--to", `s3://${s3.bucket}/media`], storeEnv(dataDir));
  expect(again.code).toBe(0);
  expect(again.stdout).toMatch(/1 copied .*, 3 already there/);
  expect((await s3.keys("media/")).length).toBe(4);
});

test("a corrupt file fails the run with exit 1 and is named; bad arguments are told plainly", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "mme-migrate-"));
  const store = new LocalAssetStore(join(dataDir, "assets"));
  await store.put(Buffer.from("fine"));
  const liar = createHash("sha256").update("claimed").digest("hex");
  mkdirSync(dirname(store.pathOf(liar)), { recursive: true });
  writeFileSync(store.pathOf(liar), "not what it claims");
  const result = await run(["assets", "migrate", "--to", `s3://${s3.bucket}/bad`], storeEnv(dataDir));
  expect(result.code).toBe(1);
  expect(result.stderr).toContain(`corrupt: ${liar}`);
  expect(result.stdout).toMatch(/1 copied .* 1 corrupt/);
  expect((await s3.keys("bad/")).some((k) => k.endsWith(liar))).toBe(false);

  const noTarget = await run(["assets", "migrate"], storeEnv(dataDir));
  expect(noTarget.code).toBe(1);
  expect(noTarget.stderr).toContain("assets migrate needs --to s3://bucket/prefix");
  const noBucket = await run(["assets", "migrate", "--to", "s3://no-such-bucket"], storeEnv(dataDir));
  expect(noBucket.code).toBe(1);
  expect(noBucket.stderr).toMatch(/reach the bucket no-such-bucket/);
  const noFolder = await run(
    ["assets", "migrate", "--to", `s3://${s3.bucket}/x`, "--from", join(dataDir, "nowhere")],
    storeEnv(dataDir),
  );
  expect(noFolder.code).toBe(1);
  expect(noFolder.stderr).toContain("There is no asset folder at");
});
