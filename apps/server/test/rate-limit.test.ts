import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { createLog } from "@mcpmediaengine/engine";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type RunningEngine, startEngine } from "../src/boot/start";
import { readEnv } from "../src/env";
import { clientKey, TrustedProxies } from "../src/http/client-address";
import { FailedAuthLimiter } from "../src/http/failed-auth-limiter";
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

// Issue 15: requests without a valid key were not limited at all. They count per client address.

/** A GET from a chosen local address (127.0.0.0/8 is all loopback), as another client would make it. */
function getFrom(
  base: string,
  localAddress: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${base}/v1/account`, { localAddress, headers, agent: false }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        body += chunk;
      });
      response.on("end", () => resolve({ status: response.statusCode!, headers: response.headers, body }));
    });
    request.on("error", reject);
    request.end();
  });
}

const UNKNOWN = { authorization: "Bearer mme_sk_not_a_key_we_ever_made_0000" };

/** Fails until refused (at most `limit` + 10 tries, so a slow machine's refill cannot fail the test): the answers. */
async function floodUntilRefused<R extends { status: number }>(send: () => Promise<R>, limit: number) {
  const statuses: number[] = [];
  for (let i = 0; i < limit + 10; i++) {
    const response = await send();
    statuses.push(response.status);
    if (response.status === 429) return { statuses, refused: response };
  }
  throw new Error(`never refused: ${statuses.join(",")}`);
}

describe("requests without a valid key", () => {
  // Two failures a minute (one more every 30 s), and 127.0.0.2 is a trusted proxy.
  let limited: RunningEngine;
  beforeAll(async () => {
    limited = await startEngine(
      readEnv({
        DATABASE_URL: server.t.connectionString,
        PORT: "0",
        MME_DATA_DIR: server.dataDir,
        MME_UNAUTHENTICATED_RATE_LIMIT: "2",
        MME_TRUSTED_PROXIES: "127.0.0.2, 10.0.0.0/8",
      }),
      "api",
      createLog("silent"),
    );
  });
  afterAll(() => limited.stop());

  test("a flood of bad keys from one address gets 429 with Retry-After; other addresses and the address's valid keys go on", async () => {
    const base = limited.url!;
    const key = await server.newKey();
    const valid = { authorization: `Bearer ${key}` };
    // Known to this process before the flood (its key cache holds it).
    expect((await getFrom(base, "127.0.0.1", valid)).status).toBe(200);

    const { statuses, refused } = await floodUntilRefused(() => getFrom(base, "127.0.0.1", UNKNOWN), 2);
    expect(statuses.slice(0, 2)).toEqual([401, 401]);
    const retryAfter = Number(refused.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(30);
    expect(refused.headers["ratelimit-policy"]).toBe('"per-address";q=2;w=60');
    const body = JSON.parse(refused.body) as { error: { code: string; details: unknown; requestId: string } };
    expect(body.error.code).toBe("rate_limited");
    expect(body.error.details).toEqual({ limit: 2, retryAfterSeconds: retryAfter });
    expect(body.error.requestId).toMatch(/^req_/);

    // Every kind of bad key from that address is refused now, whatever X-Forwarded-For it claims (127.0.0.1
    // is no trusted proxy) ...
    const kinds: Record<string, string>[] = [
      {},
      { authorization: "Basic abc" },
      { ...UNKNOWN, "x-forwarded-for": "198.51.100.3" },
    ];
    for (const headers of kinds) {
      expect((await getFrom(base, "127.0.0.1", headers)).status).toBe(429);
    }
    // ... but its valid key still works, and another address has its own allowance.
    expect((await getFrom(base, "127.0.0.1", valid)).status).toBe(200);
    expect((await getFrom(base, "127.0.0.3", UNKNOWN)).status).toBe(401);
  });

  test("behind a trusted proxy the client is the last address the proxy adds to X-Forwarded-For", async () => {
    const base = limited.url!;
    const via = (client: string) => ({ ...UNKNOWN, "x-forwarded-for": client });
    const { statuses } = await floodUntilRefused(() => getFrom(base, "127.0.0.2", via("198.51.100.1")), 2);
    expect(statuses.slice(0, 2)).toEqual([401, 401]);
    // What the client wrote itself, left of what the proxy added, changes nothing.
    expect((await getFrom(base, "127.0.0.2", via("203.0.113.9, 198.51.100.1"))).status).toBe(429);
    // Trusted hops (10.0.0.0/8 here) are skipped.
    expect((await getFrom(base, "127.0.0.2", via("198.51.100.1, 10.1.2.3"))).status).toBe(429);
    expect((await getFrom(base, "127.0.0.2", via("198.51.100.2"))).status).toBe(401);
    // Without the header the proxy itself is the client.
    expect((await getFrom(base, "127.0.0.2", UNKNOWN)).status).toBe(401);
  });
});

describe("FailedAuthLimiter", () => {
  test("a burst of the allowance, then one more per 60/limit seconds; a client full again is forgotten", () => {
    const limiter = new FailedAuthLimiter(6);
    const t0 = 1_000_000;
    expect(limiter.empty).toBe(true);
    for (let i = 0; i < 6; i++) expect(limiter.fail("a", t0)).toBe(0);
    expect(limiter.fail("a", t0)).toBe(10);
    expect(limiter.waitSeconds("a", t0 + 4_000)).toBe(6);
    expect(limiter.waitSeconds("b", t0)).toBe(0);
    expect(limiter.fail("a", t0 + 10_000)).toBe(0);
    expect(limiter.fail("a", t0 + 10_000)).toBe(10);
    expect(limiter.waitSeconds("a", t0 + 70_000)).toBe(0);
    expect(limiter.empty).toBe(true);
  });

  test("past its table's size, new clients share one allowance", () => {
    const limiter = new FailedAuthLimiter(2, 3);
    const t0 = 1_000_000;
    for (const client of ["a", "b", "c"]) expect(limiter.fail(client, t0)).toBe(0);
    expect(limiter.fail("d", t0)).toBe(0);
    expect(limiter.fail("e", t0)).toBe(0);
    expect(limiter.fail("f", t0)).toBeGreaterThan(0);
    expect(limiter.fail("a", t0)).toBe(0);
  });
});

describe("clientKey", () => {
  const none = new TrustedProxies();
  const proxies = new TrustedProxies(["10.0.0.1", "fd00::/8"]);
  test.each([
    ["the socket's address", "203.0.113.7", undefined, none, "203.0.113.7"],
    ["an IPv4-mapped socket address as IPv4", "::ffff:203.0.113.7", undefined, none, "203.0.113.7"],
    ["an IPv6 client as its /64", "2001:db8:1:2:3:4:5:6", undefined, none, "2001:db8:1:2::/64"],
    ["X-Forwarded-For from an untrusted peer is ignored", "203.0.113.7", "198.51.100.1", none, "203.0.113.7"],
    ["X-Forwarded-For from a trusted proxy", "10.0.0.1", "198.51.100.1", proxies, "198.51.100.1"],
    ["the rightmost untrusted hop", "10.0.0.1", "1.1.1.1, 198.51.100.1, fd00::5", proxies, "198.51.100.1"],
    ["a garbled hop stops the walk", "10.0.0.1", "198.51.100.1, garbage", proxies, "10.0.0.1"],
    ["no socket (app.request)", undefined, undefined, none, "unknown"],
  ] as const)("%s", (_name, peer, forwarded, trusted, expected) => {
    expect(clientKey(peer, forwarded, trusted)).toBe(expected);
  });

  test("MME_TRUSTED_PROXIES takes addresses and ranges, and refuses anything else at boot", () => {
    const base = { DATABASE_URL: "postgres://x/y" };
    expect(
      readEnv({ ...base, MME_TRUSTED_PROXIES: "10.0.0.0/8, ::1,192.168.1.1" }).MME_TRUSTED_PROXIES,
    ).toEqual(["10.0.0.0/8", "::1", "192.168.1.1"]);
    for (const bad of ["10.0.0.0/33", "proxy.local", "127.1", "10.0.0.0/8,"]) {
      expect(() => readEnv({ ...base, MME_TRUSTED_PROXIES: bad })).toThrow(/MME_TRUSTED_PROXIES/);
    }
  });
});
