import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createLog } from "@mcpmediaengine/engine";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startEngine } from "../src/boot/start";
import { readEnv } from "../src/env";
import { startTestServer, type TestServer } from "./harness";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

async function ready(url = server.url): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

test("/healthz says the process lives; /readyz that it can serve: database, storage and migrations", async () => {
  expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ ok: true });
  expect(await ready()).toEqual({
    status: 200,
    body: { ok: true, database: true, storage: true, migrations: true, draining: false },
  });
});

test("a migration this build has that the database has not applied makes the process not ready", async () => {
  const { rows } = await server.t.pool.query<{ name: string }>(
    "delete from mme_migrations where name = (select max(name) from mme_migrations) returning name",
  );
  try {
    expect(await ready()).toMatchObject({
      status: 503,
      body: { ok: false, migrations: false, database: true },
    });
  } finally {
    await server.t.pool.query("insert into mme_migrations (name) values ($1)", [rows[0]!.name]);
  }
  expect((await ready()).status).toBe(200);
});

test("an asset store that cannot be reached makes the process not ready", async () => {
  const assets = join(server.dataDir, "assets");
  rmSync(assets, { recursive: true, force: true });
  writeFileSync(assets, "not a folder");
  try {
    expect(await ready()).toMatchObject({ status: 503, body: { ok: false, storage: false, database: true } });
  } finally {
    rmSync(assets);
  }
  expect((await ready()).status).toBe(200);
});

test("a stopping API process drains: /readyz is 503 while requests are still answered, then it closes", async () => {
  const running = await startEngine(
    readEnv({
      DATABASE_URL: server.t.connectionString,
      PORT: "0",
      MME_DATA_DIR: server.dataDir,
      MME_SHUTDOWN_DRAIN_SECONDS: "8",
    }),
    "api",
    createLog("silent"),
  );
  const url = running.url!;
  expect((await ready(url)).status).toBe(200);
  const stopped = running.stop();
  const draining = await fetch(`${url}/readyz`);
  expect(draining.status).toBe(503);
  expect(await draining.json()).toMatchObject({ ok: false, database: true, draining: true });
  // No connection is kept for a next request while the process drains.
  expect(draining.headers.get("connection")).toBe("close");
  const account = await fetch(`${url}/v1/account`, { headers: { authorization: `Bearer ${server.key}` } });
  expect(account.status).toBe(200);
  await stopped;
  await expect(fetch(`${url}/healthz`)).rejects.toThrow();
});
