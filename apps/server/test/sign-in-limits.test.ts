import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestServer, type TestServer } from "./harness";
import { browser, errorCode, STRONG_PASSWORD, signUp } from "./session-client";

// Loopback is a trusted proxy here, so X-Forwarded-For names the client: each test picks its own addresses.
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    role: "api",
    env: {
      MME_SIGNUP: "open",
      MME_LOGIN_RATE_LIMIT: "3",
      MME_SIGNUP_RATE_LIMIT: "2",
      MME_TRUSTED_PROXIES: "127.0.0.1,::1",
    },
  });
  await signUp(from("192.0.2.1"), "victim@example.com");
});
afterAll(() => server.stop());

function from(address: string) {
  const b = browser(server);
  const request = b.request;
  b.request = (path, init = {}) =>
    request(path, { ...init, headers: { ...(init.headers as object), "x-forwarded-for": address } });
  return b;
}

const login = (address: string, email: string, password: string) =>
  from(address).request("/auth/login", { method: "POST", body: JSON.stringify({ email, password }) });

test("failed sign-ins from one address: past the limit 429 with Retry-After, even with the right password", async () => {
  for (let i = 0; i < 3; i++)
    expect((await login("198.51.100.1", `x${i}@example.com`, "wrong password!")).status).toBe(401);
  const refused = await login("198.51.100.1", "victim@example.com", STRONG_PASSWORD);
  expect(refused.status).toBe(429);
  expect(await errorCode(refused)).toBe("rate_limited");
  expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
  // Another address is not held back.
  expect((await login("198.51.100.2", "victim@example.com", STRONG_PASSWORD)).status).toBe(200);
});

test("failed sign-ins for one email from many addresses: past the limit that email is held back", async () => {
  await signUp(from("192.0.2.2"), "target@example.com");
  for (let i = 0; i < 3; i++)
    expect((await login(`203.0.113.${i + 1}`, "target@example.com", "guess number " + i)).status).toBe(401);
  expect((await login("203.0.113.50", "target@example.com", STRONG_PASSWORD)).status).toBe(429);
  // Other emails from a fresh address still sign in.
  expect((await login("203.0.113.51", "victim@example.com", STRONG_PASSWORD)).status).toBe(200);
});

test("failed sign-ins with API keys count against the address too", async () => {
  const b = from("198.51.100.9");
  for (let i = 0; i < 3; i++) {
    const bad = await b.request("/auth/login", {
      method: "POST",
      body: JSON.stringify({ apiKey: `mme_sk_not_a_real_key_${i}_0000000` }),
    });
    expect(bad.status).toBe(401);
  }
  const good = await b.request("/auth/login", {
    method: "POST",
    body: JSON.stringify({ apiKey: server.key }),
  });
  expect(good.status).toBe(429);
});

test("sign-ups from one address are limited per hour", async () => {
  expect((await signUp(from("198.51.100.20"), "one@example.com")).status).toBe(201);
  expect((await signUp(from("198.51.100.20"), "two@example.com")).status).toBe(201);
  const third = await signUp(from("198.51.100.20"), "three@example.com");
  expect(third.status).toBe(429);
  expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(60);
  expect((await signUp(from("198.51.100.21"), "three@example.com")).status).toBe(201);
});
