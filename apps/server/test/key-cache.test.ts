import { hashApiKey } from "@mcpmediaengine/engine";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestServer, type TestServer } from "./harness";

// Keys are cached per process; Postgres tells every process when a key row changes.
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ role: "api" });
});
afterAll(() => server.stop());

async function statusWithin(key: string, expected: number, ms: number): Promise<number> {
  const deadline = Date.now() + ms;
  for (;;) {
    const { status } = await server.api("/v1/jobs", { key });
    if (status === expected || Date.now() > deadline) return status;
    await new Promise((r) => setTimeout(r, 5));
  }
}

test("a key revoked in the database is refused by a process that had it cached", async () => {
  const key = await server.newKey();
  expect((await server.api("/v1/jobs", { key })).status).toBe(200);
  expect(server.engine.keyCache.get(hashApiKey(key))).toBeDefined();

  await server.t.pool.query("update api_keys set revoked_at = now() where key_hash = $1", [hashApiKey(key)]);
  expect(await statusWithin(key, 401, 1000)).toBe(401);
  expect(server.engine.keyCache.get(hashApiKey(key))).toBeUndefined();
});

test("when the listening connection dies the cache turns off, keys still work, and it comes back", async () => {
  const key = await server.newKey();
  expect((await server.api("/v1/jobs", { key })).status).toBe(200);
  await server.t.pool.query(`select pg_terminate_backend(pid) from pg_stat_activity
    where datname = current_database() and query = 'listen mme_api_key_changed'`);
  await expect.poll(() => server.engine.keyCache.get(hashApiKey(key)), { timeout: 2000 }).toBeUndefined();
  // Off: every request asks the database, so a revocation now is seen even with no listener.
  expect((await server.api("/v1/jobs", { key })).status).toBe(200);

  // The listener reconnects and the cache fills again.
  await expect
    .poll(
      async () => {
        await server.api("/v1/jobs", { key });
        return server.engine.keyCache.get(hashApiKey(key));
      },
      { timeout: 5000, interval: 100 },
    )
    .toBeDefined();
});
