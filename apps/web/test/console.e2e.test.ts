import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { type AddressInfo, createServer as createTcpServer } from "node:net";
import { join } from "node:path";
import { createLog, ensureStartupKey } from "@mcpmediaengine/engine";
import { type RunningEngine, readEnv, startEngine } from "@mcpmediaengine/server";
import { createTestDatabase, type TestDatabase } from "@mcpmediaengine/testing";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { checkPage, launchBrowser, screenshot } from "./browser";

// One engine, one browser, one page: the flow of issue 18 as a new user walks it, each step on the last one's
// state. Screenshots of every page land in apps/web/test-artifacts.

const OPERATOR_KEY = "mme_sk_console_test_operator_0001";
const EMAIL = "ada@example.com";
const PASSWORD = "correct horse battery staple";
const DIST = join(import.meta.dirname, "..", "dist", "index.html");

let t: TestDatabase;
let running: RunningEngine;
let url: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let receiver: Server;
let receiverUrl: string;
let userKey: string;
let jobId: string;
let operatorJobId: string;
/** Uncaught errors and CSP refusals on the console's pages: none may happen. */
const pageErrors: string[] = [];

async function api<T>(
  path: string,
  init: RequestInit & { key?: string } = {},
): Promise<{ status: number; body: T }> {
  const { key = userKey, ...rest } = init;
  const response = await fetch(`${url}${path}`, {
    ...rest,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...rest.headers },
  });
  return { status: response.status, body: (await response.json()) as T };
}

async function freePort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

beforeAll(async () => {
  if (!existsSync(DIST))
    throw new Error("apps/web is not built: turbo builds it before this test (pnpm test)");
  t = await createTestDatabase();
  const dataDir = join("/tmp", `mme-console-test-${process.pid}`);
  running = await startEngine(
    readEnv({
      DATABASE_URL: t.connectionString,
      PORT: String(await freePort()),
      MME_DATA_DIR: dataDir,
      MME_BOOTSTRAP_API_KEY: OPERATOR_KEY,
      MME_SIGNUP: "open",
      MME_WEBHOOK_ALLOW_PRIVATE: "1",
    }),
    "all",
    createLog("silent"),
  );
  url = running.url!;
  await ensureStartupKey({ ctx: running.engine, bootstrapKey: OPERATOR_KEY });
  receiver = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(204).end());
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  browser = await launchBrowser();
  context = await browser.newContext({
    baseURL: url,
    acceptDownloads: true,
    viewport: { width: 1280, height: 860 },
  });
  page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(String(error)));
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) pageErrors.push(message.text());
  });
});

afterEach(async ({ task }) => {
  if (task.result?.state === "fail") await screenshot(page, `failed-${task.name.replace(/\W+/g, "-")}`);
});

/** A link of the console's navigation, by its exact name. */
const nav = (name: string) =>
  page.getByRole("navigation", { name: "Console" }).getByRole("link", { name, exact: true });

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await new Promise((r) => receiver?.close(r));
  await running?.stop();
  await t?.drop();
});

describe("a new user's first session", () => {
  test("sign up: the first API key is shown once", async () => {
    await page.goto("/");
    await expect.poll(() => page.getByRole("heading", { name: "Sign in to Media Engine" }).count()).toBe(1);
    await checkPage(page, "01-sign-in");
    await page.getByRole("link", { name: "Create an account" }).click();
    await page.getByLabel("Name").fill("Ada's studio");
    await page.getByLabel("Email").fill(EMAIL);
    await page.getByLabel("Password").fill(PASSWORD);
    await checkPage(page, "02-sign-up");
    await page.getByRole("button", { name: "Create account" }).click();
    const shown = page.getByTestId("new-api-key");
    await shown.waitFor();
    userKey = (await shown.textContent())!.trim();
    expect(userKey).toMatch(/^mme_sk_/);
    await checkPage(page, "03-sign-up-key");
    // The key works, and the browser keeps no key: only an httpOnly session cookie.
    expect((await api<{ plan: string; balance: number }>("/v1/account")).body).toMatchObject({
      plan: "free",
      balance: 25,
    });
    const storage = await page.evaluate(
      () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie,
    );
    expect(storage).not.toContain("mme_sk_");
    const cookies = await context.cookies();
    expect(cookies.length).toBeGreaterThan(0);
    expect(cookies.every((c) => c.httpOnly)).toBe(true);
    await page.getByRole("button", { name: "Continue to the console" }).click();
    await expect.poll(() => page.getByTestId("balance").textContent()).toBe("25");
    await checkPage(page, "04-overview-empty");
  });

  test("playground: a blog_thumbnail completes on screen without a reload", async () => {
    await nav("Playground").click();
    await page.getByLabel("Prompt", { exact: true }).fill("Shipping a console for the media engine");
    await expect.poll(() => page.getByTestId("estimate").textContent()).toMatch(/^1 credit on local-studio/);
    await expect.poll(() => page.getByTestId("copy-as").textContent()).toContain('"preset":"blog_thumbnail"');
    await page.evaluate(() => {
      (window as unknown as { sameDocument: boolean }).sameDocument = true;
    });
    // By keyboard: focus the button and press Enter.
    await page.getByRole("button", { name: "Generate" }).focus();
    await page.keyboard.press("Enter");
    const live = page.getByTestId("live-job");
    await live.waitFor();
    jobId = (await live.getByRole("link", { name: /^job_/ }).textContent())!.trim();
    expect(jobId).toMatch(/^job_/);
    await expect.poll(() => live.getAttribute("data-status"), { timeout: 60_000 }).toBe("completed");
    const image = page.getByTestId("job-image");
    await expect
      .poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBe(1200);
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(
      true,
    );
    await checkPage(page, "05-playground-completed");
    for (const format of ["SDK", "MCP"]) {
      await page.getByRole("button", { name: format, exact: true }).click();
      await expect
        .poll(() => page.getByTestId("copy-as").textContent())
        .toMatch(format === "SDK" ? /createAndWait/ : /generate_image/);
    }
  });

  test("playground: speech arrives with a player and its captions", async () => {
    await page.getByRole("button", { name: "Audio", exact: true }).click();
    await page.getByLabel("Prompt", { exact: true }).fill("Welcome back. Today we ship the console.");
    await expect.poll(() => page.getByTestId("estimate").textContent()).toMatch(/^1 credit on local-voice/);
    await page.getByRole("button", { name: "Generate" }).click();
    const live = page.getByTestId("live-job");
    await expect
      .poll(async () => (await live.getByRole("link", { name: /^job_/ }).textContent()) !== jobId)
      .toBe(true);
    await expect.poll(() => live.getAttribute("data-status"), { timeout: 60_000 }).toBe("completed");
    await expect.poll(() => live.locator("audio").count()).toBe(1);
    await expect.poll(() => live.getByText("Today we ship the console").count()).toBe(1);
    await checkPage(page, "05b-playground-audio");
  });

  test("the jobs list, and the job's page with its timeline and files", async () => {
    await nav("Jobs").click();
    const row = page.locator(`tr[data-job-id="${jobId}"]`);
    await expect.poll(() => row.getAttribute("data-status")).toBe("completed");
    expect(await page.locator("tbody tr").count()).toBe(2);
    await checkPage(page, "06-jobs");
    await row.getByRole("link", { name: jobId }).click();
    await page.getByRole("heading", { name: `Job ${jobId}` }).waitFor();
    await expect.poll(() => page.getByText("Served by").count()).toBe(1);
    expect(await page.getByRole("main").textContent()).toContain("local-studio (local)");
    await checkPage(page, "07-job");
  });

  test("the gallery shows it, and its download is the API's bytes", async () => {
    await nav("Gallery").click();
    const tile = page.locator(`li[data-job-id="${jobId}"]`);
    await tile.waitFor();
    await checkPage(page, "08-gallery");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      tile.getByTestId("download").click(),
    ]);
    const downloaded = await readFile((await download.path())!);
    const job = await api<{ result: { assets: { url: string; sha256: string; role: string }[] } }>(
      `/v1/jobs/${jobId}`,
    );
    const asset = job.body.result.assets.find((a) => a.role === "main")!;
    const fromApi = Buffer.from(await (await fetch(asset.url)).arrayBuffer());
    expect(downloaded.equals(fromApi)).toBe(true);
    expect(createHash("sha256").update(downloaded).digest("hex")).toBe(asset.sha256);
  });

  test("create a key, then revoke it", async () => {
    await nav("API keys").click();
    await page.getByLabel("Name").fill("ci pipeline");
    await page.getByRole("button", { name: "Create key" }).click();
    const created = (await page.getByTestId("created-key").textContent())!.trim();
    expect((await api("/v1/account", { key: created })).status).toBe(200);
    const row = page.locator("tr", { hasText: "ci pipeline" });
    await checkPage(page, "09-keys-created");
    await row.getByRole("button", { name: "Revoke" }).click();
    await row.getByRole("button", { name: "Revoke ci pipeline" }).click();
    await row.getByText(/^revoked/).waitFor();
    await expect.poll(async () => (await api("/v1/account", { key: created })).status).toBe(401);
    expect((await api("/v1/account")).status).toBe(200);
    await checkPage(page, "10-keys-revoked");
  });

  test("add a webhook endpoint", async () => {
    await nav("Webhooks").click();
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await page.getByLabel("Endpoint URL").fill(receiverUrl);
    await page.getByLabel("job.completed").check();
    await page.getByRole("button", { name: "Add endpoint" }).last().click();
    await page.getByText(/^Endpoint added for/).waitFor();
    const listed = await api<{ data: { url: string; events: string[] }[] }>("/v1/webhooks/endpoints");
    expect(listed.body.data).toEqual([
      expect.objectContaining({ url: receiverUrl, events: ["job.completed"] }),
    ]);
    await checkPage(page, "11-webhooks");
  });

  test("usage shows the credit spent", async () => {
    await nav("Usage and billing").click();
    await expect.poll(() => page.getByTestId("spent-total").textContent()).toBe("2");
    expect(await page.getByTestId("spent-local-studio").textContent()).toBe("1");
    expect(await page.getByTestId("spent-local-voice").textContent()).toBe("1");
    await page.getByText("Your plan", { exact: true }).first().waitFor();
    await checkPage(page, "12-usage");
    await nav("Overview").click();
    await expect.poll(() => page.getByTestId("balance").textContent()).toBe("23");
    await checkPage(page, "13-overview");
    await nav("Batches").click();
    await page.getByText("No batches yet").waitFor();
    await checkPage(page, "14-batches-empty");
    expect(await nav("Admin").count()).toBe(0);
  });

  test("another account's job is not found", async () => {
    const theirs = await api<{ jobId: string }>("/v1/jobs", {
      key: OPERATOR_KEY,
      method: "POST",
      body: JSON.stringify({ type: "image", prompt: "The operator's own", preset: "social_post" }),
    });
    expect(theirs.status).toBe(202);
    operatorJobId = theirs.body.jobId;
    await page.goto(`/jobs/${theirs.body.jobId}`);
    await page.getByRole("heading", { name: "No such job" }).waitFor();
    expect(await page.getByRole("main").textContent()).not.toContain("The operator's own");
    await checkPage(page, "15-job-not-found");
  });

  test("a cross-site POST with the session cookie is refused", async () => {
    const keysBefore = (await api<{ data: unknown[] }>("/v1/keys")).body.data.length;
    // Another origin on the same site (another port): the browser sends the SameSite=Lax cookie, so only the
    // Origin check stands between this page and the account.
    const evil = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" }).end(`<!doctype html><title>evil</title>
        <form method="post" action="${url}/v1/keys" enctype="text/plain">
          <input name='{"name":"evil","x":"' value='"}'></form>
        <script>
          fetch("${url}/trpc/keys.create", { method: "POST", mode: "no-cors", credentials: "include",
            headers: { "content-type": "text/plain" }, body: JSON.stringify({ name: "evil trpc" }) })
            .finally(() => document.forms[0].submit());
        </script>`);
    });
    await new Promise<void>((r) => evil.listen(0, "127.0.0.1", r));
    const evilPage = await context.newPage();
    try {
      const refused = evilPage.waitForResponse((r) => r.url() === `${url}/v1/keys`);
      await evilPage.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
      const response = await refused;
      expect(response.status()).toBe(403);
      expect(await response.text()).toContain("cross_origin_request");
    } finally {
      await evilPage.close();
      await new Promise((r) => evil.close(r));
    }
    const keysAfter = (await api<{ data: { name: string }[] }>("/v1/keys")).body.data;
    expect(keysAfter).toHaveLength(keysBefore);
    expect(keysAfter.some((k) => k.name.startsWith("evil"))).toBe(false);
  });

  test("sign out, then sign in with an API key: the operator sees Admin", async () => {
    await page.goto("/");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in to Media Engine" }).waitFor();
    expect((await context.cookies()).filter((c) => c.value !== "")).toHaveLength(0);
    await page.getByRole("button", { name: "API key" }).click();
    await page.getByLabel("API key").fill(OPERATOR_KEY);
    await page.getByRole("button", { name: "Sign in" }).click();
    await nav("Admin").click();
    const row = page.locator("tr", { hasText: "Ada's studio" });
    await row.waitFor();
    await checkPage(page, "17-admin");
    // Search finds by email; a search that matches nothing says so.
    const search = page.getByLabel("Search accounts");
    await search.fill("no-such-account");
    await search.press("Enter");
    await page.getByText("No accounts match").waitFor();
    await search.fill(EMAIL);
    await search.press("Enter");
    await row.waitFor();
    expect(await page.locator("tbody tr").count()).toBe(1);
    await row.getByRole("link").click();
    await page.getByRole("heading", { name: "Ada's studio" }).waitFor();
    await checkPage(page, "18-admin-account");
  });

  test("at 390 px wide every page fits, and the menu opens", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      for (const [path, name] of [
        ["/", "19-mobile-overview"],
        ["/playground", "20-mobile-playground"],
        ["/jobs", "21-mobile-jobs"],
        [`/jobs/${operatorJobId}`, "22-mobile-job"],
      ] as const) {
        await page.goto(path);
        await page.getByRole("heading", { level: 1 }).first().waitFor();
        await checkPage(page, name);
        // What sticks out past the right edge, if anything (the innermost such elements).
        const overflowing = await page.evaluate(() =>
          [...document.querySelectorAll("body *")]
            .filter((e) => e.getBoundingClientRect().right > 391 && e.closest(".table-wrap, pre") === null)
            .filter((e) => ![...e.children].some((c) => c.getBoundingClientRect().right > 391))
            .map(
              (e) =>
                `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`,
            ),
        );
        expect(overflowing, path).toEqual([]);
      }
      expect(await nav("Gallery").isVisible()).toBe(false);
      await page.getByRole("button", { name: "Menu" }).click();
      await nav("Gallery").click();
      await page.getByRole("heading", { name: "Gallery" }).waitFor();
      await screenshot(page, "23-mobile-gallery");
    } finally {
      await page.setViewportSize({ width: 1280, height: 860 });
    }
  });

  test("password sign-in works too", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("Email").fill(EMAIL);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    // Signed in, the page asked for (the gallery) comes back, now as Ada's.
    await page.locator(`li[data-job-id="${jobId}"]`).waitFor();
    await nav("Overview").click();
    await expect.poll(() => page.getByTestId("balance").textContent()).toBe("23");
    await screenshot(page, "24-signed-in-again");
  });

  test("no page threw, and the Content-Security-Policy refused nothing", () => {
    expect(pageErrors).toEqual([]);
  });
});
