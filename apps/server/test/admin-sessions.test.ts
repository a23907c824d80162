import type { Account, AdminAccountList, ApiKeyList, SignupResult } from "@mcpmediaengine/contract";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestServer, type TestServer } from "./harness";
import { type Browser, browser, errorCode, signUp } from "./session-client";

// The operator runs the admin API from the console: a browser session of the operator's account (signed in with
// the start-up key) stands in for MME_ADMIN_TOKEN, which is not set here.
let server: TestServer;
let operator: Browser;
let customer: SignupResult;
beforeAll(async () => {
  server = await startTestServer({ role: "api", env: { MME_SIGNUP: "open" } });
  operator = browser(server);
  await operator.request("/auth/login", { method: "POST", body: JSON.stringify({ apiKey: server.key }) });
  customer = (await (await signUp(browser(server), "customer@acme.example")).json()) as SignupResult;
});
afterAll(() => server.stop());

const json = async <T>(response: Response) => (await response.json()) as T;

test("the operator's session lists and searches accounts, by email, name or id", async () => {
  const all = await json<AdminAccountList>(await operator.request("/v1/admin/accounts"));
  expect(all.data.map((a) => a.accountId)).toContain(customer.session.accountId);
  expect(all.data.find((a) => a.operator)).toBeDefined();

  const byEmail = await json<AdminAccountList>(
    await operator.request("/v1/admin/accounts?search=ACME.example"),
  );
  expect(byEmail.data).toEqual([
    expect.objectContaining({
      accountId: customer.session.accountId,
      email: "customer@acme.example",
      balance: 25,
    }),
  ]);
  const byId = await json<AdminAccountList>(
    await operator.request(`/v1/admin/accounts?search=${customer.session.accountId}`),
  );
  expect(byId.data).toHaveLength(1);
  // A LIKE wildcard in the search is a plain character.
  const wildcard = await json<AdminAccountList>(await operator.request("/v1/admin/accounts?search=%25"));
  expect(wildcard.data).toEqual([]);

  const first = await json<AdminAccountList>(await operator.request("/v1/admin/accounts?limit=1"));
  const second = await json<AdminAccountList>(
    await operator.request(`/v1/admin/accounts?limit=1&cursor=${first.nextCursor}`),
  );
  expect(second.data[0]!.accountId < first.data[0]!.accountId).toBe(true);
});

test("the operator's session changes a plan, grants credits and lists the account's keys", async () => {
  const id = customer.session.accountId;
  const plan = await operator.request(`/v1/admin/accounts/${id}/plan`, {
    method: "POST",
    body: JSON.stringify({ plan: "starter" }),
  });
  expect(await json<Account>(plan)).toMatchObject({ plan: "starter", balance: 425 });
  const credits = await operator.request(`/v1/admin/accounts/${id}/credits`, {
    method: "POST",
    body: JSON.stringify({ credits: 5, reason: "welcome" }),
  });
  expect(await json(credits)).toEqual({ accountId: id, balance: 430 });
  const keys = await json<ApiKeyList>(await operator.request(`/v1/admin/accounts/${id}/keys`));
  expect(keys.data.map((k) => k.keyId)).toEqual([customer.apiKey.keyId]);
  expect((await operator.request("/v1/admin/accounts/acc_0000000000000000000000zz/keys")).status).toBe(404);

  // The same procedures over tRPC, as the web app calls them.
  const trpc = await operator.request(
    `/trpc/admin.listKeys?input=${encodeURIComponent(JSON.stringify({ accountId: id }))}`,
  );
  expect(trpc.status).toBe(200);
});

test("a state-changing admin call from another origin is refused", async () => {
  const response = await operator.request(`/v1/admin/accounts/${customer.session.accountId}/credits`, {
    method: "POST",
    origin: "https://evil.example",
    body: JSON.stringify({ credits: 1000, reason: "csrf" }),
  });
  expect(response.status).toBe(403);
  expect(await errorCode(response)).toBe("cross_origin_request");
});

test("a customer's session, and any API key (the operator's too), are not the admin API", async () => {
  const b = browser(server);
  await b.request("/auth/login", {
    method: "POST",
    body: JSON.stringify({ apiKey: customer.apiKey.apiKey }),
  });
  const refused = await b.request("/v1/admin/accounts");
  expect(refused.status).toBe(403);
  expect(await errorCode(refused)).toBe("forbidden");
  // Without MME_ADMIN_TOKEN the bearer admin API is off, whatever key is sent.
  expect((await server.api("/v1/admin/accounts")).status).toBe(403);
});

test("signed out, the operator's cookie opens nothing", async () => {
  const o = browser(server);
  await o.request("/auth/login", { method: "POST", body: JSON.stringify({ apiKey: server.key }) });
  const cookie = o.cookie!;
  await o.request("/auth/logout", { method: "POST" });
  const after = await fetch(`${server.url}/v1/admin/accounts`, { headers: { cookie } });
  expect(after.status).toBe(401);
});
