import { createLog } from "@mcpmediaengine/engine";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type RunningEngine, startEngine } from "../src/boot/start";
import { readEnv } from "../src/env";
import { startTestServer, type TestServer } from "./harness";

let server: TestServer;
let second: RunningEngine;
beforeAll(async () => {
  server = await startTestServer();
  // A second API process on the same database: the count is shared.
  second = await startEngine(
    readEnv({ DATABASE_URL: server.t.connectionString, PORT: "0", MME_DATA_DIR: server.dataDir }),
    "api",
    createLog("silent"),
  );
});
afterAll(async () => {
  await second.stop();
  await server.stop();
});

/** Windows are calendar minutes: start a test early in one so it does not straddle two. */
async function freshWindow(): Promise<void> {
  const seconds = new Date().getUTCSeconds();
  if (seconds > 40) await new Promise((r) => setTimeout(r, (61 - seconds) * 1000));
}

test("a free key gets 30 requests a minute across every server, with RateLimit headers, then 429 with Retry-After", async () => {
  await freshWindow();
  const key = await server.newKey();
  const get = (base: string) => fetch(`${base}/v1/account`, { headers: { authorization: `Bearer ${key}` } });
  for (let i = 0; i < 30; i++) {
    const response = await get(i % 2 === 0 ? server.url : second.url!);
    expect(response.status).toBe(200);
    expect(response.headers.get("ratelimit-policy")).toBe('"per-key";q=30;w=60');
    expect(response.headers.get("ratelimit")).toMatch(new RegExp(`^"per-key";r=${29 - i};t=\\d+$`));
  }
  for (const base of [server.url, second.url!]) {
    const refused = await get(base);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers.get("ratelimit")).toBe(`"per-key";r=0;t=${retryAfter}`);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
  }
  // Another key of the same plan has its own allowance.
  const other = await server.newKey();
  expect((await server.api("/v1/account", { key: other })).status).toBe(200);
});

test("tRPC calls count too; a request without a valid key is refused 401 and counts against nothing", async () => {
  await freshWindow();
  const key = await server.newKey();
  const response = await fetch(`${server.url}/trpc/account.get`, {
    headers: { authorization: `Bearer ${key}` },
  });
  expect(response.status).toBe(200);
  expect(response.headers.get("ratelimit")).toMatch(/^"per-key";r=29;t=\d+$/);
  const anonymous = await server.api("/v1/account", { key: null });
  expect(anonymous.status).toBe(401);
  expect(anonymous.headers.get("ratelimit")).toBeNull();
});
