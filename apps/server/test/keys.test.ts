import type { ApiKey, ApiKeyList, CreatedApiKey } from "@mcpmediaengine/contract";
import { createAccountWithKey, createLog, hashApiKey } from "@mcpmediaengine/engine";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type RunningEngine, startEngine } from "../src/boot/start";
import { readEnv } from "../src/env";
import { startTestServer, type TestServer } from "./harness";
import { errorCode } from "./session-client";

let server: TestServer;
let ownerKey: string;
beforeAll(async () => {
  server = await startTestServer({ role: "api" });
  ownerKey = await server.newKey();
});
afterAll(() => server.stop());

const json = async <T>(response: Response) => (await response.json()) as T;
const create = (name: unknown, key = ownerKey) =>
  server.api("/v1/keys", { method: "POST", key, body: JSON.stringify({ name }) });

test("create a named key (its secret once), list keys without secrets, revoke it: 401 on its next use", async () => {
  const response = await create("ci deploys");
  expect(response.status).toBe(200);
  const created = await json<CreatedApiKey>(response);
  expect(created).toMatchObject({ name: "ci deploys", revokedAt: null, lastUsedAt: null, current: false });
  expect((await server.api("/v1/account", { key: created.apiKey })).status).toBe(200);

  const list = await json<ApiKeyList>(await server.api("/v1/keys", { key: ownerKey }));
  expect(list.data.map((k) => k.keyId)).toContain(created.keyId);
  expect(JSON.stringify(list)).not.toContain(created.apiKey);
  const mine = list.data.find((k) => k.current)!;
  expect(mine.name).toBe("default");

  const revoked = await server.api(`/v1/keys/${created.keyId}`, { method: "DELETE", key: ownerKey });
  expect(revoked.status).toBe(200);
  expect((await json<ApiKey>(revoked)).revokedAt).not.toBeNull();
  expect((await server.api("/v1/account", { key: created.apiKey })).status).toBe(401);
  // Revoking again answers the same; the list keeps it, after the working keys.
  expect((await server.api(`/v1/keys/${created.keyId}`, { method: "DELETE", key: ownerKey })).status).toBe(
    200,
  );
  const after = await json<ApiKeyList>(await server.api("/v1/keys", { key: ownerKey }));
  expect(after.data.at(-1)).toMatchObject({ keyId: created.keyId, revokedAt: expect.any(String) });
});

test("lastUsedAt is set once the key is used", async () => {
  const created = await json<CreatedApiKey>(await create("used once"));
  await server.api("/v1/jobs", { key: created.apiKey });
  await expect
    .poll(async () => {
      const list = await json<ApiKeyList>(await server.api("/v1/keys", { key: ownerKey }));
      return list.data.find((k) => k.keyId === created.keyId)?.lastUsedAt;
    })
    .toEqual(expect.any(String));
});

test("another account's key is 404 and stays working; it is not in the list", async () => {
  const stranger = await server.newKey();
  const theirs = await json<ApiKeyList>(await server.api("/v1/keys", { key: stranger }));
  const theirKey = theirs.data[0]!;
  const response = await server.api(`/v1/keys/${theirKey.keyId}`, { method: "DELETE", key: ownerKey });
  expect(response.status).toBe(404);
  expect(await errorCode(response)).toBe("not_found");
  expect((await server.api("/v1/account", { key: stranger })).status).toBe(200);
  const mine = await json<ApiKeyList>(await server.api("/v1/keys", { key: ownerKey }));
  expect(mine.data.map((k) => k.keyId)).not.toContain(theirKey.keyId);
});

test("revoking the key the request is made with: this answer succeeds, the next request is 401", async () => {
  const self = await json<CreatedApiKey>(await create("revokes itself"));
  const response = await server.api(`/v1/keys/${self.keyId}`, { method: "DELETE", key: self.apiKey });
  expect(response.status).toBe(200);
  expect(await json<ApiKey>(response)).toMatchObject({ current: true, revokedAt: expect.any(String) });
  expect((await server.api("/v1/keys", { key: self.apiKey })).status).toBe(401);
});

test("bad names and ids are 400 with the field named", async () => {
  for (const name of ["", "   ", "x".repeat(101), 42, "nul\u0000"]) {
    const response = await create(name);
    expect(response.status, JSON.stringify(name)).toBe(400);
    expect(await errorCode(response)).toBe("invalid_request");
  }
  const badId = await server.api("/v1/keys/not-a-key", { method: "DELETE", key: ownerKey });
  expect(badId.status).toBe(400);
});

test("an account holds at most 100 working keys", async () => {
  // Enterprise: a free key may make only 30 requests a minute.
  const { apiKey: key } = await createAccountWithKey({
    ctx: server.engine,
    name: "many",
    plan: "enterprise",
  });
  const made = await Promise.all(Array.from({ length: 99 }, (_, i) => create(`k${i}`, key)));
  expect(made.map((r) => r.status)).toEqual(Array(99).fill(200));
  const over = await create("one too many", key);
  expect(over.status).toBe(400);
  expect(((await over.json()) as { error: { message: string } }).error.message).toMatch(/at most 100/);
});

test("a key revoked through one API process is refused by another that had it cached", async () => {
  const other: RunningEngine = await startEngine(
    readEnv({ DATABASE_URL: server.t.connectionString, PORT: "0", MME_DATA_DIR: server.dataDir }),
    "api",
    createLog("silent"),
  );
  try {
    const created = await json<CreatedApiKey>(await create("two processes"));
    const viaOther = () =>
      fetch(`${other.url}/v1/account`, { headers: { authorization: `Bearer ${created.apiKey}` } });
    // The cache fills once the other process's key-change listener is up.
    await expect
      .poll(async () => {
        expect((await viaOther()).status).toBe(200);
        return other.engine.keyCache.get(hashApiKey(created.apiKey));
      })
      .toBeDefined();

    expect((await server.api(`/v1/keys/${created.keyId}`, { method: "DELETE", key: ownerKey })).status).toBe(
      200,
    );
    await expect.poll(() => other.engine.keyCache.get(hashApiKey(created.apiKey))).toBeUndefined();
    expect((await viaOther()).status).toBe(401);
  } finally {
    await other.stop();
  }
});
