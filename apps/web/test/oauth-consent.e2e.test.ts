import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createLog } from "@mcpmediaengine/engine";
import { type RunningEngine, readEnv, startEngine } from "@mcpmediaengine/server";
import { createTestDatabase, type TestDatabase } from "@mcpmediaengine/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { checkPage, launchBrowser, screenshot } from "./browser";

// An MCP host connects with OAuth, and the person answers in a real browser: signed out at first, they sign in
// through the console, come back to the consent page, and allow. The host's callback receives the code.

const EMAIL = "grace@example.com";
const PASSWORD = "correct horse battery staple";
const DIST = join(import.meta.dirname, "..", "dist", "index.html");

let t: TestDatabase;
let running: RunningEngine;
let url: string;
let browser: Browser;
let page: Page;
let callback: Server;
let redirectUri: string;
const callbacks: URLSearchParams[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(DIST))
    throw new Error("apps/web is not built: turbo builds it before this test (pnpm test)");
  t = await createTestDatabase();
  running = await startEngine(
    readEnv({
      DATABASE_URL: t.connectionString,
      PORT: "0",
      MME_DATA_DIR: join("/tmp", `mme-oauth-consent-test-${process.pid}`),
      MME_SIGNUP: "open",
    }),
    "api",
    createLog("silent"),
  );
  url = running.url!;
  callback = createServer((req, res) => {
    const at = new URL(req.url ?? "/", "http://127.0.0.1");
    if (at.pathname === "/callback") callbacks.push(at.searchParams); // not the browser's /favicon.ico
    res.writeHead(200, { "content-type": "text/html" }).end("<title>Connected</title><p>Connected.</p>");
  });
  await new Promise<void>((r) => callback.listen(0, "127.0.0.1", r));
  redirectUri = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/callback`;
  const signedUp = await fetch(`${url}/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
  });
  expect(signedUp.status).toBe(201);
  browser = await launchBrowser();
  page = await (await browser.newContext({ baseURL: url, viewport: { width: 390, height: 844 } })).newPage();
  page.on("pageerror", (error) => pageErrors.push(String(error)));
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) pageErrors.push(message.text());
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => callback?.close(r));
  await running?.stop();
  await t?.drop();
});

test("a host asks, the person signs in through the console, sees the consent page in Chromium, allows, and the host gets a working token", async () => {
  const registered = await fetch(`${url}/oauth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ client_name: "Browser Host", redirect_uris: [redirectUri] }),
  });
  const { client_id: clientId } = (await registered.json()) as { client_id: string };
  const verifier = randomBytes(32).toString("base64url");
  const query = new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    redirect_uri: redirectUri,
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
    state: "browser-state",
    resource: `${url}/mcp`,
  });

  await page.goto(`/oauth/authorize?${query}`);
  await expect.poll(() => page.getByRole("heading", { name: "Sign in to continue" }).count()).toBe(1);
  await checkPage(page, "oauth-01-sign-in-first");
  await page.getByRole("link", { name: "Sign in" }).click();
  await expect.poll(() => page.getByRole("heading", { name: "Sign in to Media Engine" }).count()).toBe(1);
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();

  const heading = page.getByRole("heading", { name: "Allow Browser Host to use your account?" });
  await expect.poll(() => heading.count()).toBe(1);
  expect(await page.textContent("main")).toContain(EMAIL);
  await checkPage(page, "oauth-02-consent");
  await page.getByRole("button", { name: "Allow" }).click();

  await expect.poll(() => callbacks.length).toBe(1);
  await page.waitForURL(`${redirectUri}?**`);
  await screenshot(page, "oauth-03-back-at-the-host");
  const answer = callbacks[0]!;
  expect(answer.get("state")).toBe("browser-state");
  expect(answer.get("iss")).toBe(url);
  const code = answer.get("code")!;
  expect(code).toMatch(/^mme_ac_/);

  const token = await fetch(`${url}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      code_verifier: verifier,
      client_id: clientId,
      redirect_uri: redirectUri,
      resource: `${url}/mcp`,
    }).toString(),
  });
  expect(token.status).toBe(200);
  const { access_token: accessToken } = (await token.json()) as { access_token: string };
  const tools = await fetch(`${url}/mcp`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${accessToken}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
    },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: {} }),
  });
  expect(tools.status).toBe(200);
  expect(pageErrors).toEqual([]);
});
