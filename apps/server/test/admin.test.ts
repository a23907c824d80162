import type { Account, AdminCreatedAccount } from "@mcpmediaengine/contract";
import { afterAll, beforeAll, expect, test } from "vitest";
import { runCli } from "./cli";
import { startTestServer, type TestServer } from "./harness";

const ADMIN = "admin-token-for-tests-0123456789";
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { MME_ADMIN_TOKEN: ADMIN } });
});
afterAll(() => server.stop());

const admin = (path: string, init: RequestInit = {}) =>
  server.api(`/v1/admin${path}`, {
    ...init,
    key: null,
    headers: { authorization: `Bearer ${ADMIN}`, ...init.headers },
  });
const json = async <T>(response: Response) => (await response.json()) as T;

test("the admin API needs the admin token; an API key is not enough", async () => {
  expect((await server.api("/v1/admin/accounts", { method: "POST", body: "{}" })).status).toBe(401);
  const wrong = await server.api("/v1/admin/accounts/acc_0000000000000000000000zz", {
    key: null,
    headers: { authorization: "Bearer not-the-admin-token-at-all-000" },
  });
  expect(wrong.status).toBe(401);
});

test("open an account on a plan, grant and adjust credits, change plan, create and revoke keys", async () => {
  const opened = await admin("/accounts", {
    method: "POST",
    body: JSON.stringify({ name: "Acme", plan: "starter" }),
  });
  expect(opened.status).toBe(200);
  const account = await json<AdminCreatedAccount>(opened);
  expect(account).toMatchObject({ plan: "starter", balance: 400 });
  const mine = await json<Account>(await server.api("/v1/account", { key: account.apiKey }));
  expect(mine).toMatchObject({ accountId: account.accountId, plan: "starter", balance: 400 });

  const granted = await admin(`/accounts/${account.accountId}/credits`, {
    method: "POST",
    body: JSON.stringify({ credits: 100, reason: "goodwill" }),
  });
  expect(await json(granted)).toEqual({ accountId: account.accountId, balance: 500 });
  const tooMuch = await admin(`/accounts/${account.accountId}/credits`, {
    method: "POST",
    body: JSON.stringify({ credits: -501, reason: "oops" }),
  });
  expect(tooMuch.status).toBe(400);
  expect((await json<{ error: { details: unknown } }>(tooMuch)).error.details).toEqual({
    balance: 500,
    credits: -501,
  });
  const taken = await admin(`/accounts/${account.accountId}/credits`, {
    method: "POST",
    body: JSON.stringify({ credits: -500, reason: "chargeback" }),
  });
  expect(await json(taken)).toMatchObject({ balance: 0 });

  // Starter → pro in the same month: this month's grant was made already, so the balance stays.
  const moved = await admin(`/accounts/${account.accountId}/plan`, {
    method: "POST",
    body: JSON.stringify({ plan: "pro" }),
  });
  expect(await json<Account>(moved)).toMatchObject({
    plan: "pro",
    balance: 0,
    limits: { concurrentJobs: 16 },
  });
  const terms = await admin(`/accounts/${account.accountId}/plan`, {
    method: "POST",
    body: JSON.stringify({ plan: "pro", limits: { concurrentJobs: 99 } }),
  });
  expect(terms.status).toBe(400);

  const second = await json<{ keyId: string; apiKey: string }>(
    await admin(`/accounts/${account.accountId}/keys`, {
      method: "POST",
      body: JSON.stringify({ name: "ci" }),
    }),
  );
  expect((await server.api("/v1/account", { key: second.apiKey })).status).toBe(200);
  const revoked = await admin(`/keys/${second.keyId}`, { method: "DELETE" });
  expect(revoked.status).toBe(200);
  // At once: the very next request with the key is refused.
  expect((await server.api("/v1/account", { key: second.apiKey })).status).toBe(401);
  expect((await server.api("/v1/account", { key: account.apiKey })).status).toBe(200);
  expect((await admin(`/keys/${second.keyId}`, { method: "DELETE" })).status).toBe(200);
  expect((await admin("/keys/key_0000000000000000000000zz", { method: "DELETE" })).status).toBe(404);

  const read = await json<Account>(await admin(`/accounts/${account.accountId}`));
  expect(read).toMatchObject({ accountId: account.accountId, plan: "pro" });
  expect((await admin("/accounts/acc_0000000000000000000000zz")).status).toBe(404);
});

test("the admin API is off without MME_ADMIN_TOKEN", async () => {
  const plain = await startTestServer();
  try {
    const response = await plain.api("/v1/admin/accounts", {
      method: "POST",
      key: null,
      headers: { authorization: "Bearer anything-at-all-000000000000" },
      body: JSON.stringify({ name: "x" }),
    });
    expect(response.status).toBe(403);
  } finally {
    await plain.stop();
  }
});

test("the CLI opens accounts and revokes keys against the same database", async () => {
  const env = { DATABASE_URL: server.t.connectionString, MME_DATA_DIR: server.dataDir };
  const opened = runCli(["accounts", "create", "--name", "From the CLI", "--plan", "pro"], env);
  expect((await opened.exited).code).toBe(0);
  const apiKey = /mme_sk_\S+/.exec(opened.stdout())![0];
  const keyId = /key\s+(key_\S+)/.exec(opened.stdout())![1]!;
  expect(await json<Account>(await server.api("/v1/account", { key: apiKey }))).toMatchObject({
    plan: "pro",
    balance: 1400,
  });
  const revoked = runCli(["keys", "revoke", keyId], env);
  expect((await revoked.exited).code).toBe(0);
  // Another process revoked it: this server hears of it from Postgres.
  await expect.poll(async () => (await server.api("/v1/account", { key: apiKey })).status).toBe(401);

  const bad = runCli(["accounts", "create", "--name", "x", "--plan", "platinum"], env);
  expect((await bad.exited).code).toBe(1);
  expect(bad.stderr()).toMatch(/plan/);
});
