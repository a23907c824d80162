import { existsSync } from "node:fs";
import { type AddressInfo, createServer as createTcpServer } from "node:net";
import { join } from "node:path";
import type { Account } from "@mcpmediaengine/contract";
import { createAccountWithKey, createLog, ensureStartupKey } from "@mcpmediaengine/engine";
import { type RunningEngine, readEnv, startEngine } from "@mcpmediaengine/server";
import { createTestDatabase, type TestDatabase } from "@mcpmediaengine/testing";
import { type FakeStripe, startFakeStripe } from "@mcpmediaengine/testing/stripe";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { checkPage, launchBrowser, screenshot } from "./browser";

// Issue 22 in a real browser: a Free account buys Starter through (fake) Stripe Checkout, renews, cancels in the
// portal and goes back to Free at the period's end, each step shown by the console once Stripe's event arrived.

const DIST = join(import.meta.dirname, "..", "dist", "index.html");

let t: TestDatabase;
let running: RunningEngine;
let stripe: FakeStripe;
let url: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let userKey: string;
let subscriptionId: string;
const pageErrors: string[] = [];

async function freePort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

async function account(): Promise<Account> {
  const response = await fetch(`${url}/v1/account`, { headers: { authorization: `Bearer ${userKey}` } });
  return (await response.json()) as Account;
}

/** balance = sum(ledger) on every account, after every test. */
async function ledgerDrift(): Promise<string[]> {
  const sums = await t.db
    .selectFrom("credit_ledger")
    .select((eb) => ["account_id", eb.fn.sum<string>("amount").as("sum")])
    .groupBy("account_id")
    .execute();
  const ledger = new Map(sums.map((r) => [r.account_id, Number(r.sum)]));
  const accounts = await t.db.selectFrom("accounts").select(["id", "balance"]).execute();
  return accounts.filter((a) => Number(a.balance) !== (ledger.get(a.id) ?? 0)).map((a) => a.id);
}

const nav = (name: string) =>
  page.getByRole("navigation", { name: "Console" }).getByRole("link", { name, exact: true });

/** The console's billing page, freshly read. */
async function openBilling(): Promise<void> {
  await nav("Usage and billing").click();
  await page.getByRole("heading", { name: "Plans" }).waitFor();
}

const currentPlan = () => page.locator('[data-testid^="plan-"][aria-current="true"] h3').textContent();

beforeAll(async () => {
  if (!existsSync(DIST))
    throw new Error("apps/web is not built: turbo builds it before this test (pnpm test)");
  t = await createTestDatabase();
  stripe = await startFakeStripe();
  running = await startEngine(
    readEnv({
      DATABASE_URL: t.connectionString,
      PORT: String(await freePort()),
      MME_DATA_DIR: join("/tmp", `mme-billing-test-${process.pid}`),
      MME_SIGNUP: "open",
      MME_ENTERPRISE_CONTACT: "sales@example.com",
      ...stripe.env(),
    }),
    "all",
    createLog("silent"),
  );
  url = running.url!;
  stripe.webhookUrl = `${url}/billing/stripe/webhook`;
  browser = await launchBrowser();
  context = await browser.newContext({ baseURL: url, viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(String(error)));
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) pageErrors.push(message.text());
  });
});

afterEach(async ({ task }) => {
  if (task.result?.state === "fail")
    await screenshot(page, `billing-failed-${task.name.replace(/\W+/g, "-")}`);
  expect(await ledgerDrift()).toEqual([]);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await running?.stop();
  await stripe?.close();
  await t?.drop();
});

describe("buying a plan through Stripe", () => {
  test("a new Free account sees the plans, its upgrade buttons and the Enterprise contact", async () => {
    await page.goto("/");
    await page.getByRole("link", { name: "Create an account" }).click();
    await page.getByLabel("Name").fill("Grace's studio");
    await page.getByLabel("Email").fill("grace@example.com");
    await page.getByLabel("Password").fill("correct horse battery staple");
    await page.getByRole("button", { name: "Create account" }).click();
    const shown = page.getByTestId("new-api-key");
    await shown.waitFor();
    userKey = (await shown.textContent())!.trim();
    await page.getByRole("button", { name: "Continue to the console" }).click();
    await expect.poll(() => page.getByTestId("balance").textContent()).toBe("25");
    await openBilling();
    await expect.poll(currentPlan).toBe("Free");
    expect(await page.getByRole("button", { name: /^Upgrade to / }).allTextContents()).toEqual([
      "Upgrade to Starter",
      "Upgrade to Pro",
    ]);
    expect(await page.getByTestId("enterprise-contact").textContent()).toBe("Contact sales@example.com");
    await checkPage(page, "b01-billing-free");
  });

  test("upgrade: Stripe Checkout opens, and the plan changes only once Stripe confirms it", async () => {
    await page.getByRole("button", { name: "Upgrade to Starter" }).click();
    await page.waitForURL(`${stripe.url}/c/pay/**`);
    await page.getByRole("heading", { name: "Fake Stripe Checkout" }).waitFor();
    // On Stripe's page, nothing is paid yet: still Free.
    expect((await account()).plan).toBe("free");
    await page.getByRole("button", { name: "Subscribe" }).click();
    // The fake sent checkout.session.completed, customer.subscription.created and invoice.paid (signed) before
    // sending the browser back.
    await page.waitForURL(`${url}/usage?checkout=done`);
    expect(stripe.deliveries.map((d) => [d.type, d.status])).toEqual([
      ["checkout.session.completed", 200],
      ["customer.subscription.created", 200],
      ["invoice.paid", 200],
    ]);
    subscriptionId = [...stripe.subscriptions.keys()][0]!;
    await expect.poll(currentPlan).toBe("Starter");
    await expect
      .poll(() => page.getByTestId("checkout-returned").textContent())
      .toContain("Stripe confirmed it: you are on Starter.");
    expect(await page.getByRole("button", { name: /^Upgrade to / }).count()).toBe(0);
    await checkPage(page, "b02-billing-starter");
    await nav("Overview").click();
    await expect.poll(() => page.getByTestId("balance").textContent()).toBe("425");
    await checkPage(page, "b03-overview-starter");
  });

  test("a renewal grants 400 again, once; a duplicate event changes nothing", async () => {
    const renewal = await stripe.renew(subscriptionId);
    await page.reload();
    await expect.poll(() => page.getByTestId("balance").textContent()).toBe("825");
    for (const event of renewal) {
      const replay = await stripe.deliver(event);
      expect(replay.status).toBe(200);
      expect(JSON.parse(replay.body)).toEqual({ received: true, duplicate: true });
    }
    await page.reload();
    await expect.poll(() => page.getByTestId("balance").textContent()).toBe("825");
    expect(await account()).toMatchObject({ plan: "starter", balance: 825 });
  });

  test("a failed renewal: past due on the billing page, no credits; paid late, the period's 400 arrive", async () => {
    await stripe.failRenewal(subscriptionId);
    await openBilling();
    const alert = page.getByTestId("past-due");
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(
      /^Payment failed\. Update your card in Manage billing before .+, or the account goes back to Free\.$/,
    );
    expect(await account()).toMatchObject({ plan: "starter", balance: 825, billing: { pastDue: true } });
    await checkPage(page, "b035-billing-past-due");
    await stripe.payOpenInvoice(subscriptionId);
    await page.reload();
    await page.getByRole("heading", { name: "Plans" }).waitFor();
    await expect.poll(currentPlan).toBe("Starter");
    expect(await page.getByTestId("past-due").count()).toBe(0);
    expect(await account()).toMatchObject({ plan: "starter", balance: 1225, billing: { pastDue: false } });
  });

  test("unsigned, badly signed and stale webhook bodies are refused with 400 and change nothing", async () => {
    const before = await account();
    const paid = stripe.events.find((e) => e.type === "invoice.paid")!;
    for (const signing of ["none", "bad", "stale"] as const) {
      const forged = { ...paid, id: `evt_forged_${signing}` };
      const delivery = await stripe.deliver(forged, signing);
      expect(delivery.status, signing).toBe(400);
    }
    expect(await account()).toEqual(before);
  });

  test("cancel in Stripe's portal: Starter until the period's end, then Free", async () => {
    await openBilling();
    await page.getByRole("button", { name: "Manage billing" }).click();
    await page.waitForURL(`${stripe.url}/p/session/**`);
    await page.getByRole("button", { name: "Cancel plan" }).click();
    await page.waitForURL(`${url}/usage`);
    await expect.poll(() => page.getByTestId("plan-ends").count()).toBe(1);
    expect(await page.getByTestId("plan-ends").textContent()).toMatch(
      /^Canceled: Starter lasts until .+, then Free\.$/,
    );
    await expect.poll(currentPlan).toBe("Starter");
    await checkPage(page, "b04-billing-canceled");
    await stripe.endPeriod(subscriptionId);
    await page.reload();
    await page.getByRole("heading", { name: "Plans" }).waitFor();
    await expect.poll(currentPlan).toBe("Free");
    expect(await page.getByTestId("plan-ends").count()).toBe(0);
    expect(await account()).toMatchObject({ plan: "free", balance: 1225, billing: { subscribed: false } });
    await checkPage(page, "b05-billing-free-again");
    expect(pageErrors).toEqual([]);
  });
});

describe("without Stripe settings", () => {
  test("the billing page shows the plans and says the operator changes them", async () => {
    const plainDb = await createTestDatabase();
    const plain = await startEngine(
      readEnv({
        DATABASE_URL: plainDb.connectionString,
        PORT: String(await freePort()),
        MME_DATA_DIR: join("/tmp", `mme-billing-plain-test-${process.pid}`),
        MME_BOOTSTRAP_API_KEY: "mme_sk_billing_plain_operator_01",
      }),
      "all",
      createLog("silent"),
    );
    const other = await browser.newContext({ baseURL: plain.url!, viewport: { width: 390, height: 844 } });
    try {
      await ensureStartupKey({ ctx: plain.engine, bootstrapKey: "mme_sk_billing_plain_operator_01" });
      const { apiKey } = await createAccountWithKey({ ctx: plain.engine, name: "Plain studio" });
      const tab = await other.newPage();
      await tab.goto("/");
      await tab.getByRole("button", { name: "API key" }).click();
      await tab.getByLabel("API key").fill(apiKey);
      await tab.getByRole("button", { name: "Sign in" }).click();
      await tab.getByTestId("balance").waitFor();
      await tab.goto("/usage");
      await tab.getByRole("heading", { name: "Plans" }).waitFor();
      await tab.getByText("To change plan, ask the operator of this engine.").waitFor();
      expect(await tab.getByRole("button", { name: /^Upgrade to |^Manage billing$/ }).count()).toBe(0);
      expect(await tab.locator('[data-testid^="plan-"][aria-current="true"] h3').textContent()).toBe("Free");
      await checkPage(tab, "b06-billing-operator-only-390px");
    } finally {
      await other.close();
      await plain.stop();
      await plainDb.drop();
    }
  });
});
