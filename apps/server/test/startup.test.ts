import { mkdirSync, mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, type TestDatabase } from "@mcpmediaengine/testing";
import { afterAll, beforeAll, expect, test } from "vitest";
import { runCli } from "./cli";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

const dataDir = () => {
  const dir = join(tmpdir(), `mme-startup-${process.pid}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir, { recursive: true });
  return dir;
};
const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at /);

test("the first start on an empty database prints one new key, once", async () => {
  const env = { DATABASE_URL: t.connectionString, MME_DATA_DIR: dataDir(), PORT: "0" };
  const first = runCli(["start"], env);
  await first.waitFor(/listening on/);
  const key = /(mme_sk_[\w-]+)/.exec(first.stdout())?.[1];
  expect(key).toBeDefined();
  const port = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(first.stdout())?.[1];
  const listed = await fetch(`http://127.0.0.1:${port}/v1/jobs`, {
    headers: { authorization: `Bearer ${key}` },
  });
  expect(listed.status).toBe(200);
  first.child.kill("SIGTERM");
  expect((await first.exited).code).toBe(0);

  const second = runCli(["start"], env);
  await second.waitFor(/listening on/);
  expect(second.stdout()).not.toMatch(/mme_sk_/);
  second.child.kill("SIGTERM");
  await second.exited;
});

test("a port in use ends start-up with one clear sentence", async () => {
  const blocker: Server = createServer();
  await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
  const port = (blocker.address() as { port: number }).port;
  try {
    const cli = runCli(["start"], {
      DATABASE_URL: t.connectionString,
      MME_DATA_DIR: dataDir(),
      PORT: String(port),
    });
    expect((await cli.exited).code).toBe(1);
    expect(cli.stderr()).toContain(`Port ${port} on 127.0.0.1 is already in use`);
    noStack(cli.stderr());
  } finally {
    blocker.close();
  }
});

test("a data folder the postgres user cannot enter is refused with the reason and the fix", async () => {
  const closed = mkdtempSync(join(tmpdir(), "mme-closed-")); // mkdtemp makes it mode 0700
  const cli = runCli(["start"], { MME_DATA_DIR: join(closed, "data"), PORT: "0" });
  expect((await cli.exited).code).toBe(1);
  expect(cli.stderr()).toMatch(/postgres user cannot enter/);
  expect(cli.stderr()).toContain(closed);
  noStack(cli.stderr());
});

test("a bad setting is named at boot", async () => {
  const cli = runCli(["start"], { PORT: "eighty", MME_PUBLIC_URL: "not a url", MME_DATA_DIR: dataDir() });
  expect((await cli.exited).code).toBe(1);
  expect(cli.stderr()).toMatch(/Invalid environment/);
  expect(cli.stderr()).toMatch(/PORT/);
  expect(cli.stderr()).toMatch(/MME_PUBLIC_URL/);
  noStack(cli.stderr());
});

test("a DALL·E model for gpt-image-2 and a malformed AUTOMATIC1111 login are refused at boot", async () => {
  const cli = runCli(["start"], {
    OPENAI_API_KEY: "sk-test",
    MME_OPENAI_IMAGE_MODEL: "dall-e-3",
    MME_A1111_AUTH: "no-colon",
    MME_DATA_DIR: dataDir(),
  });
  expect((await cli.exited).code).toBe(1);
  expect(cli.stderr()).toMatch(/MME_OPENAI_IMAGE_MODEL: DALL·E models/);
  expect(cli.stderr()).toMatch(/MME_A1111_AUTH: must be user:password/);
  expect(cli.stderr()).not.toContain("sk-test");
  noStack(cli.stderr());
});

test("keys create prints a working key", async () => {
  const cli = runCli(["keys", "create", "--name", "ci"], {
    DATABASE_URL: t.connectionString,
    MME_DATA_DIR: dataDir(),
  });
  expect((await cli.exited).code).toBe(0);
  expect(cli.stdout()).toMatch(/^account acc_\w+\nkey {5}key_\w+\n\nmme_sk_[\w-]+\n$/);
});
