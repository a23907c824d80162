import type { Account, ApiKeyList, LedgerList, Session, SignupResult } from "@mcpmediaengine/contract";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestServer, type TestServer } from "./harness";
import { browser, errorCode, STRONG_PASSWORD, signUp } from "./session-client";

let open: TestServer;
beforeAll(async () => {
  // Sign-up limits have a test of their own (sign-in-limits.test.ts); this file signs up many times.
  open = await startTestServer({ role: "api", env: { MME_SIGNUP: "open", MME_SIGNUP_RATE_LIMIT: "1000" } });
});
afterAll(() => open.stop());

test("sign-up is closed unless the operator opens it: 403 signup_closed, and no account is made", async () => {
  const closed = await startTestServer({ role: "api" });
  try {
    // The sign-in page asks first, so it can leave out a link that would only meet this refusal.
    expect(await (await closed.api("/auth/config", { key: null })).json()).toEqual({
      signup: "closed",
      minPasswordLength: 10,
    });
    const response = await signUp(browser(closed), "closed@example.com");
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe("signup_closed");
    const users = await closed.t.db.selectFrom("users").selectAll().execute();
    expect(users).toEqual([]);
  } finally {
    await closed.stop();
  }
});

test("sign-up opens a Free account with 25 credits and one key, shown once, and signs the browser in", async () => {
  expect(await (await open.api("/auth/config", { key: null })).json()).toEqual({
    signup: "open",
    minPasswordLength: 10,
  });
  const b = browser(open);
  const response = await signUp(b, "  Ada@Example.com ");
  expect(response.status).toBe(201);
  const result = (await response.json()) as SignupResult;
  expect(result.session).toMatchObject({ email: "ada@example.com", plan: "free", method: "password" });
  expect(result.apiKey.apiKey).toMatch(/^mme_sk_/);
  expect(result.apiKey.hint).toBe(`mme_sk_…${result.apiKey.apiKey.slice(-4)}`);

  const cookie = b.lastSetCookie!;
  expect(cookie).toMatch(/HttpOnly/i);
  expect(cookie).toMatch(/SameSite=Lax/i);
  expect(cookie).toMatch(/Path=\//);
  expect(cookie).not.toMatch(/Secure/i); // plain http here

  // The cookie is the caller: the same REST endpoints, no key in the browser.
  const account = (await (await b.request("/v1/account")).json()) as Account;
  expect(account).toMatchObject({ accountId: result.session.accountId, plan: "free", balance: 25 });
  const keys = (await (await b.request("/v1/keys")).json()) as ApiKeyList;
  expect(keys.data.map((k) => k.keyId)).toEqual([result.apiKey.keyId]);
  expect(JSON.stringify(keys)).not.toContain(result.apiKey.apiKey);
  const ledger = (await (await b.request("/v1/credits/ledger")).json()) as LedgerList;
  expect(ledger.data).toMatchObject([{ kind: "grant", amount: 25 }]);

  // The key works on its own, for the same account.
  const byKey = (await (await open.api("/v1/account", { key: result.apiKey.apiKey })).json()) as Account;
  expect(byKey.accountId).toBe(result.session.accountId);

  // Only hashes are stored: the password, the key and the session token appear nowhere.
  const users = JSON.stringify(await open.t.db.selectFrom("users").selectAll().execute());
  const sessions = JSON.stringify(await open.t.db.selectFrom("sessions").selectAll().execute());
  expect(users).toContain("$argon2id$");
  expect(users + sessions).not.toContain(STRONG_PASSWORD);
  expect(users + sessions).not.toContain(b.cookie!.split("=")[1]);
});

describe("sign-up refuses", () => {
  test("an email already signed up, in any case: 409 email_taken", async () => {
    expect((await signUp(browser(open), "grace@example.com")).status).toBe(201);
    const again = await signUp(browser(open), "GRACE@example.com");
    expect(again.status).toBe(409);
    expect(await errorCode(again)).toBe("email_taken");
  });

  test.each([
    ["too short", "short1!"],
    ["too common", "password123"],
    ["the email itself", "linus.t@example.com"],
  ])("a weak password (%s): 422 weak_password", async (_name, password) => {
    const response = await signUp(browser(open), "linus.t@example.com", password);
    expect(response.status).toBe(422);
    expect(await errorCode(response)).toBe("weak_password");
  });

  test("a malformed email or body: 400; an oversized one: 413", async () => {
    expect(await errorCode(await signUp(browser(open), "not-an-email"))).toBe("invalid_request");
    const b = browser(open);
    const garbage = await b.request("/auth/signup", { method: "POST", body: "{" });
    expect(garbage.status).toBe(400);
    expect(await errorCode(garbage)).toBe("invalid_json");
    const huge = await b.request("/auth/signup", {
      method: "POST",
      body: JSON.stringify({ email: "x".repeat(20_000) }),
    });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { error: { message: string } }).error.message).toMatch(/16 KiB/);
    for (const body of ["[]", "null", '{"email":1}']) {
      expect((await b.request("/auth/login", { method: "POST", body })).status, body).toBe(400);
    }
  });
});

test("sign in with the password: a session; a wrong password or an unknown email is the same 401", async () => {
  await signUp(browser(open), "margaret@example.com");
  const b = browser(open);
  const wrong = await b.request("/auth/login", {
    method: "POST",
    body: JSON.stringify({ email: "margaret@example.com", password: "not the password at all" }),
  });
  const unknown = await b.request("/auth/login", {
    method: "POST",
    body: JSON.stringify({ email: "nobody@example.com", password: STRONG_PASSWORD }),
  });
  expect([wrong.status, unknown.status]).toEqual([401, 401]);
  expect((await wrong.json()) as object).toMatchObject({ error: { message: expect.any(String) } });
  expect(b.cookie).toBeUndefined();

  const right = await b.request("/auth/login", {
    method: "POST",
    body: JSON.stringify({ email: "Margaret@Example.com", password: STRONG_PASSWORD }),
  });
  expect(right.status).toBe(200);
  expect((await right.json()) as Session).toMatchObject({
    email: "margaret@example.com",
    method: "password",
  });
  const session = (await (await b.request("/auth/session")).json()) as Session;
  expect(session.email).toBe("margaret@example.com");
});

test("sign in with an API key (the operator's too); the session ends when that key is revoked", async () => {
  const b = browser(open);
  const login = await b.request("/auth/login", {
    method: "POST",
    body: JSON.stringify({ apiKey: open.key }),
  });
  expect(login.status).toBe(200);
  const session = (await login.json()) as Session;
  expect(session).toMatchObject({ method: "api_key", plan: "enterprise", operator: true, email: null });
  expect((await b.request("/v1/account")).status).toBe(200);

  const holder = browser(open);
  const { apiKey, keyId } = (await (
    await open.api("/v1/keys", { method: "POST", body: JSON.stringify({ name: "to sign in with" }) })
  ).json()) as { apiKey: string; keyId: string };
  await holder.request("/auth/login", { method: "POST", body: JSON.stringify({ apiKey }) });
  expect((await holder.request("/v1/account")).status).toBe(200);
  expect((await open.api(`/v1/keys/${keyId}`, { method: "DELETE" })).status).toBe(200);
  const after = await holder.request("/v1/account");
  expect(after.status).toBe(401);
  expect(((await after.json()) as { error: { message: string } }).error.message).toMatch(/session has ended/);
  expect((await holder.request("/auth/session")).status).toBe(401);

  const bad = await browser(open).request("/auth/login", {
    method: "POST",
    body: JSON.stringify({ apiKey: "mme_sk_not_a_key_anyone_has_0000" }),
  });
  expect(bad.status).toBe(401);
});

test("sign out revokes the session on the server: the old cookie opens nothing", async () => {
  const b = browser(open);
  await signUp(b, "barbara@example.com");
  const stolen = b.cookie!;
  const out = await b.request("/auth/logout", { method: "POST" });
  expect(out.status).toBe(204);
  expect(b.lastSetCookie).toMatch(/Max-Age=0/);
  const replay = await fetch(`${open.url}/v1/account`, { headers: { cookie: stolen } });
  expect(replay.status).toBe(401);
  const rows = await open.t.db.selectFrom("sessions").select("revoked_at").execute();
  expect(rows.some((r) => r.revoked_at !== null)).toBe(true);
});

test("an expired session opens nothing", async () => {
  const b = browser(open);
  await signUp(b, "frances@example.com");
  await open.t.pool.query(
    `update sessions set expires_at = now() - interval '1 second'
      where user_id = (select id from users where email = 'frances@example.com')`,
  );
  expect((await b.request("/v1/account")).status).toBe(401);
});

describe("CSRF: a state-changing request authenticated by the cookie must come from our own origin", () => {
  test("a foreign or missing Origin is 403 cross_origin_request and changes nothing, on REST and tRPC", async () => {
    const b = browser(open);
    await signUp(b, "radia@example.com");
    const create = (origin: string | null) =>
      b.request("/v1/keys", { method: "POST", origin, body: JSON.stringify({ name: "csrf" }) });
    const foreign = await create("https://evil.example");
    expect(foreign.status).toBe(403);
    expect(await errorCode(foreign)).toBe("cross_origin_request");
    expect((await create(null)).status).toBe(403);
    const trpc = await b.request("/trpc/keys.create", {
      method: "POST",
      origin: "https://evil.example",
      body: JSON.stringify({ name: "csrf" }),
    });
    expect(trpc.status).toBe(403);
    let keys = (await (await b.request("/v1/keys", { origin: "https://evil.example" })).json()) as ApiKeyList;
    expect(keys.data.map((k) => k.name)).toEqual(["first key"]);

    expect((await create(open.url)).status).toBe(200);
    keys = (await (await b.request("/v1/keys")).json()) as ApiKeyList;
    expect(keys.data.map((k) => k.name).sort()).toEqual(["csrf", "first key"]);
  });

  test("an API key in Authorization is not cookie-authenticated: no Origin check", async () => {
    const response = await open.api("/v1/keys", {
      method: "POST",
      headers: { origin: "https://evil.example", cookie: "mme_session=whatever" },
      body: JSON.stringify({ name: "from a script" }),
    });
    expect(response.status).toBe(200);
  });

  test("sign-in, sign-up and sign-out from another site's page are refused", async () => {
    const b = browser(open);
    const login = await b.request("/auth/login", {
      method: "POST",
      origin: "https://evil.example",
      body: JSON.stringify({ apiKey: open.key }),
    });
    expect(login.status).toBe(403);
    expect(b.cookie).toBeUndefined();
    const signup = await b.request("/auth/signup", {
      method: "POST",
      origin: "https://evil.example",
      body: JSON.stringify({ email: "mallory@example.com", password: STRONG_PASSWORD }),
    });
    expect(signup.status).toBe(403);
    await signUp(b, "katherine@example.com");
    const logout = await b.request("/auth/logout", { method: "POST", origin: "https://evil.example" });
    expect(logout.status).toBe(403);
    expect((await b.request("/auth/session")).status).toBe(200);
  });
});

test("the web app's tRPC calls take the cookie: queries and mutations", async () => {
  const b = browser(open);
  await signUp(b, "hedy@example.com");
  const query = await b.request(`/trpc/keys.list?input=${encodeURIComponent("{}")}`);
  expect(query.status).toBe(200);
  const mutation = await b.request("/trpc/keys.create", {
    method: "POST",
    body: JSON.stringify({ name: "from trpc" }),
  });
  expect(mutation.status).toBe(200);
  const created = (await mutation.json()) as { result: { data: { apiKey: string; name: string } } };
  expect(created.result.data).toMatchObject({ name: "from trpc", apiKey: expect.stringMatching(/^mme_sk_/) });
});

test("over https (MME_PUBLIC_URL), the cookie is Secure and the public origin passes the check", async () => {
  const secure = await startTestServer({
    role: "api",
    env: { MME_SIGNUP: "open", MME_PUBLIC_URL: "https://media.example.com" },
  });
  try {
    const b = browser(secure);
    await signUp(b, "annie@example.com");
    expect(b.lastSetCookie).toMatch(/Secure/);
    const create = await b.request("/v1/keys", {
      method: "POST",
      origin: "https://media.example.com",
      body: JSON.stringify({ name: "public origin" }),
    });
    expect(create.status).toBe(200);
  } finally {
    await secure.stop();
  }
});

test("a user's sessions share one console allowance, apart from the plan's API allowance: signing in again buys no more", async () => {
  const first = browser(open);
  const { apiKey } = ((await (await signUp(first, "joan@example.com")).json()) as SignupResult).apiKey;
  // The console's clicks do not eat the key's allowance: 300 a minute for the person, the plan's for the key.
  const policy = (response: Response) => /q=(\d+)/.exec(response.headers.get("ratelimit-policy") ?? "")?.[1];
  expect(policy(await first.request("/v1/account"))).toBe("300");
  const byKey = await fetch(`${open.url}/v1/account`, { headers: { authorization: `Bearer ${apiKey}` } });
  expect(Number(policy(byKey))).toBeLessThan(300);
  const second = browser(open);
  await second.request("/auth/login", {
    method: "POST",
    body: JSON.stringify({ email: "joan@example.com", password: STRONG_PASSWORD }),
  });
  const remaining = async (b: typeof first) =>
    Number(/r=(\d+)/.exec((await b.request("/v1/account")).headers.get("ratelimit") ?? "")?.[1]);
  // One count: the second session's request is the next after the first's (separate counts would keep step,
  // equal). Read again if a minute boundary fell between the two.
  await expect
    .poll(async () => {
      const a = await remaining(first);
      return (await remaining(second)) - a;
    })
    .toBe(-1);
});
