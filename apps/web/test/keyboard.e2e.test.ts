import { existsSync } from "node:fs";
import { join } from "node:path";
import { createLog, ensureStartupKey } from "@mcpmediaengine/engine";
import { type RunningEngine, readEnv, startEngine } from "@mcpmediaengine/server";
import { createTestDatabase, type TestDatabase } from "@mcpmediaengine/testing";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect, test } from "vitest";
import { checkPage, launchBrowser, screenshot } from "./browser";

// The console with the keyboard alone: every step below is Tab, Shift+Tab, Enter, Space or typed text, never a
// click, and every control reached shows a visible focus ring. Sign-up is closed here (the default), so the sign-in
// page must say so rather than offer a link that would only meet 403 signup_closed.

const OPERATOR_KEY = "mme_sk_keyboard_test_operator_01";
const DIST = join(import.meta.dirname, "..", "dist", "index.html");

let t: TestDatabase;
let running: RunningEngine;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!existsSync(DIST))
    throw new Error("apps/web is not built: turbo builds it before this test (pnpm test)");
  t = await createTestDatabase();
  running = await startEngine(
    readEnv({
      DATABASE_URL: t.connectionString,
      PORT: "0",
      MME_DATA_DIR: join("/tmp", `mme-keyboard-test-${process.pid}`),
      MME_BOOTSTRAP_API_KEY: OPERATOR_KEY,
    }),
    "all",
    createLog("silent"),
  );
  await ensureStartupKey({ ctx: running.engine, bootstrapKey: OPERATOR_KEY });
  browser = await launchBrowser();
  const context = await browser.newContext({ baseURL: running.url!, viewport: { width: 1280, height: 860 } });
  page = await context.newPage();
});

afterEach(async ({ task }) => {
  if (task.result?.state === "fail")
    await screenshot(page, `keyboard-failed-${task.name.replace(/\W+/g, "-")}`);
});

afterAll(async () => {
  await browser?.close();
  await running?.stop();
  await t?.drop();
});

/**
 * Presses Tab (or Shift+Tab) until `target` has the focus, then checks that the focus shows. Fails when the
 * target is never reached: a control the keyboard cannot get to.
 */
async function tabTo(target: Locator, options: { backwards?: boolean } = {}): Promise<void> {
  await target.waitFor();
  for (let presses = 0; presses < 80; presses++) {
    const focused = await target.evaluate((el) => el === document.activeElement);
    if (focused) {
      const ring = await target.evaluate((el) => {
        const style = getComputedStyle(el);
        return (
          el.matches(":focus-visible") && style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
        );
      });
      expect(ring, `focus ring on ${target}`).toBe(true);
      return;
    }
    await page.keyboard.press(options.backwards ? "Shift+Tab" : "Tab");
  }
  throw new Error(`${target} cannot be reached with ${options.backwards ? "Shift+Tab" : "Tab"}`);
}

const nav = (name: string) =>
  page.getByRole("navigation", { name: "Console" }).getByRole("link", { name, exact: true });

test("with sign-up closed, the sign-in page says whom to ask and offers no sign-up link", async () => {
  await page.goto("/");
  await page.getByRole("heading", { name: "Sign in to Media Engine" }).waitFor();
  await page.getByTestId("signup-closed").waitFor();
  expect(await page.getByRole("link", { name: "Create an account" }).count()).toBe(0);
  await page.goto("/sign-up");
  await page.getByRole("heading", { name: "Sign-up is closed" }).waitFor();
  await checkPage(page, "k01-sign-up-closed");
});

test("sign in with an API key by keyboard", async () => {
  await page.goto("/");
  await tabTo(page.getByRole("button", { name: "API key", exact: true }));
  await page.keyboard.press("Space");
  await expect
    .poll(() => page.getByRole("button", { name: "API key", exact: true }).getAttribute("aria-pressed"))
    .toBe("true");
  await tabTo(page.getByLabel("API key"));
  await page.keyboard.type(OPERATOR_KEY);
  await page.keyboard.press("Enter");
  await nav("Overview").waitFor();
});

test("the skip link comes first and takes the focus to the page", async () => {
  await page.goto("/");
  await nav("Overview").waitFor();
  // The page settled (its data drawn), so nothing redraws under the focus.
  await expect.poll(() => page.getByText("Loading…").count()).toBe(0);
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  const focused = () =>
    page.evaluate(() => {
      const el = document.activeElement;
      return el ? `${el.tagName.toLowerCase()} ${el.textContent?.trim().slice(0, 40)}` : "nothing";
    });
  expect(await focused()).toBe(`a ${await skip.textContent()}`);
  await page.keyboard.press("Enter");
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("main");
});

test("playground: generate an image and watch it complete, by keyboard", async () => {
  await tabTo(nav("Playground"), { backwards: true });
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Playground", level: 1 }).waitFor();
  await tabTo(page.getByLabel("Prompt", { exact: true }));
  await page.keyboard.type("A keyboard on a wooden desk");
  await tabTo(page.getByRole("button", { name: "Generate" }));
  await page.keyboard.press("Enter");
  const live = page.getByTestId("live-job");
  await expect.poll(() => live.getAttribute("data-status"), { timeout: 60_000 }).toBe("completed");
  await checkPage(page, "k02-playground");
});

test("jobs: open the job's page from the list, by keyboard", async () => {
  await tabTo(nav("Jobs"), { backwards: true });
  await page.keyboard.press("Enter");
  const link = page.locator("tbody tr").first().getByRole("link", { name: /^job_/ });
  await link.waitFor();
  const jobId = (await link.textContent())!.trim();
  await tabTo(link);
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: `Job ${jobId}` }).waitFor();
  await checkPage(page, "k03-job");
});

test("API keys: create a named key, then revoke it, by keyboard", async () => {
  await tabTo(nav("API keys"), { backwards: true });
  await page.keyboard.press("Enter");
  await tabTo(page.getByLabel("Name"));
  await page.keyboard.type("keyboard key");
  await tabTo(page.getByRole("button", { name: "Create key" }));
  await page.keyboard.press("Enter");
  const created = (await page.getByTestId("created-key").textContent())!.trim();
  expect(created).toMatch(/^mme_sk_/);
  const row = page.locator("tr", { hasText: "keyboard key" });
  await tabTo(row.getByRole("button", { name: "Revoke", exact: true }));
  await page.keyboard.press("Enter");
  await tabTo(row.getByRole("button", { name: "Revoke keyboard key" }));
  await page.keyboard.press("Enter");
  await row.getByText(/^revoked/).waitFor();
  const response = await fetch(`${running.url}/v1/account`, {
    headers: { authorization: `Bearer ${created}` },
  });
  expect(response.status).toBe(401);
});

test("sign out by keyboard", async () => {
  await tabTo(page.getByRole("button", { name: "Sign out" }), { backwards: true });
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Sign in to Media Engine" }).waitFor();
});
