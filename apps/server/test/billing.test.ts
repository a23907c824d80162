import type { Account, BillingInfo, BillingRedirect } from "@mcpmediaengine/contract";
import {
  createCheckout,
  createStripeBilling,
  expireGracePeriods,
  grantMonthlyCredits,
} from "@mcpmediaengine/engine";
import { ApiError, MediaEngine } from "@mcpmediaengine/sdk";
import { type FakeStripe, type StripeEvent, startFakeStripe } from "@mcpmediaengine/testing/stripe";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { readEnv } from "../src/env";
import { startTestServer, type TestServer } from "./harness";

// Issue 22: plans bought through Stripe, against a local fake that speaks Stripe's API and signs its events.

let stripe: FakeStripe;
let server: TestServer;
let key: string;
let accountId: string;
let subscriptionId: string;

beforeAll(async () => {
  stripe = await startFakeStripe();
  server = await startTestServer({ env: { ...stripe.env(), MME_ENTERPRISE_CONTACT: "sales@example.com" } });
  stripe.webhookUrl = `${server.url}/billing/stripe/webhook`;
  key = await server.newKey();
  accountId = (await account()).accountId;
});
afterAll(async () => {
  await server?.stop();
  await stripe?.close();
});

// After every test, on every account: the balance is the sum of the ledger.
afterEach(async () => {
  const sums = await server.t.db
    .selectFrom("credit_ledger")
    .select((eb) => ["account_id", eb.fn.sum<string>("amount").as("sum")])
    .groupBy("account_id")
    .execute();
  const ledger = new Map(sums.map((r) => [r.account_id, Number(r.sum)]));
  const accounts = await server.t.db.selectFrom("accounts").select(["id", "balance"]).execute();
  expect(accounts.filter((a) => Number(a.balance) !== (ledger.get(a.id) ?? 0))).toEqual([]);
});

async function account(k = key): Promise<Account> {
  return (await server.api("/v1/account", { key: k })).json() as Promise<Account>;
}
async function post<T>(path: string, body: object, k = key): Promise<{ status: number; body: T }> {
  const response = await server.api(path, { method: "POST", key: k, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as T };
}
const eventsKept = async () =>
  Number(
    (
      await server.t.db
        .selectFrom("stripe_events")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe("checkout and the portal", () => {
  test("GET /v1/billing: plans are bought here, with the Enterprise contact", async () => {
    const info = (await (await server.api("/v1/billing", { key })).json()) as BillingInfo;
    expect(info).toEqual({ selfServe: true, enterpriseContact: "sales@example.com", customer: false });
  });

  test("checkout opens Stripe; the Stripe customer is created once per account and the plan waits", async () => {
    const first = await post<BillingRedirect>("/v1/billing/checkout", { plan: "starter" });
    expect(first.status).toBe(200);
    expect(first.body.url).toMatch(new RegExp(`^${stripe.url}/c/pay/cs_test_`));
    const again = await post<BillingRedirect>("/v1/billing/checkout", { plan: "pro" });
    expect(again.status).toBe(200);
    const ours = [...stripe.customers.values()].filter(
      (c) => (c.metadata as { account_id?: string }).account_id === accountId,
    );
    expect(ours).toHaveLength(1);
    expect(stripe.requests.filter((r) => r.path === "/v1/customers")).toHaveLength(1);
    const session = stripe.lastCheckoutSession(accountId)!;
    expect(session).toMatchObject({
      customer: ours[0]!.id,
      mode: "subscription",
      client_reference_id: accountId,
    });
    expect(session.success_url).toBe(`${server.url}/usage?checkout=done`);
    // Nothing changes until Stripe confirms the payment.
    expect(await account()).toMatchObject({ plan: "free", balance: 25, billing: { subscribed: false } });
    expect((await (await server.api("/v1/billing", { key })).json()) as BillingInfo).toMatchObject({
      customer: true,
    });
  });

  test("two first checkouts at once still make one customer (Stripe's Idempotency-Key)", async () => {
    const other = await server.newKey();
    const both = await Promise.all([
      post<BillingRedirect>("/v1/billing/checkout", { plan: "pro" }, other),
      post<BillingRedirect>("/v1/billing/checkout", { plan: "pro" }, other),
    ]);
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    const otherId = (await account(other)).accountId;
    const made = [...stripe.customers.values()].filter(
      (c) => (c.metadata as { account_id?: string }).account_id === otherId,
    );
    expect(made).toHaveLength(1);
    const row = await server.t.db
      .selectFrom("accounts")
      .select("stripe_customer_id")
      .where("id", "=", otherId)
      .executeTakeFirstOrThrow();
    expect(row.stripe_customer_id).toBe(made[0]!.id);
  });

  test("a plan that is not for sale is 400; Stripe's refusals are 502 payment_provider_error", async () => {
    const refused = await post<{ error: { code: string } }>("/v1/billing/checkout", { plan: "enterprise" });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("invalid_request");
    // An operator's price that Stripe does not know: Stripe's error body, through the stripe package, to ours.
    const misconfigured = createStripeBilling({
      ...settingsOf(stripe),
      prices: { starter: "price_does_not_exist", pro: "price_does_not_exist" },
    });
    const ctx = { ...server.engine, billing: { ...server.engine.billing, stripe: misconfigured } };
    const failure = await createCheckout({
      ctx,
      caller: { accountId, keyId: "key_x", limits: (await account()).limits },
      scope: { baseUrl: server.url },
      input: { plan: "starter" },
    }).catch((e: unknown) => e as { code: string; message: string; status: number });
    expect(failure).toMatchObject({ code: "payment_provider_error", status: 502 });
    expect((failure as { message: string }).message).toContain("No such price: 'price_does_not_exist'");
  });

  test("the SDK: billing.get, billing.portal, and checkout's refusal typed", async () => {
    const sdk = new MediaEngine({ apiKey: key, baseUrl: server.url });
    expect(await sdk.billing.get()).toMatchObject({ selfServe: true, customer: true });
    expect((await sdk.billing.portal()).url).toMatch(new RegExp(`^${stripe.url}/p/session/`));
    const other = new MediaEngine({ apiKey: await server.newKey(), baseUrl: server.url });
    expect((await other.billing.checkout({ plan: "starter" })).url).toMatch(/\/c\/pay\/cs_test_/);
    const refused = await sdk.billing
      .checkout({ plan: "gold" as "pro" })
      .catch((e: unknown) => e as ApiError);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).code).toBe("invalid_request");
  });

  test("the portal opens for the account's customer", async () => {
    const portal = await post<BillingRedirect>("/v1/billing/portal", {});
    expect(portal.status).toBe(200);
    expect(portal.body.url).toMatch(new RegExp(`^${stripe.url}/p/session/bps_`));
  });
});

describe("Stripe's events", () => {
  test("unsigned, badly signed, stale and altered bodies are refused with 400 and change nothing", async () => {
    const before = { account: await account(), events: await eventsKept() };
    // A real event for this account, as Stripe would send it, never applied.
    const session = stripe.lastCheckoutSession(accountId)!;
    const forged: StripeEvent = {
      ...stripe.events[0]!,
      id: "evt_forged",
      type: "invoice.paid",
      data: { object: { customer: session.customer, id: "in_forged", lines: { data: [] } } },
    };
    for (const signing of ["none", "bad", "stale", "future"] as const) {
      const delivery = await stripe.deliver(forged, signing);
      expect(delivery.status, signing).toBe(400);
      expect(JSON.parse(delivery.body).error.code, signing).toBe("invalid_signature");
    }
    // A signature over another body does not cover this one.
    const altered = await fetch(stripe.webhookUrl, {
      method: "POST",
      headers: { "stripe-signature": `t=${Math.floor(Date.now() / 1000)},v1=${"0".repeat(64)}` },
      body: JSON.stringify(forged),
    });
    expect(altered.status).toBe(400);
    expect(await eventsKept()).toBe(before.events);
    expect(await account()).toEqual(before.account);
  });

  test("the fake speaks Stripe's idempotency: a key replays its first answer, other parameters are refused", async () => {
    const client = createStripeBilling(settingsOf(stripe)).client;
    const first = await client.customers.create({ name: "once" }, { idempotencyKey: "key-one" });
    const again = await client.customers.create({ name: "once" }, { idempotencyKey: "key-one" });
    expect(again.id).toBe(first.id);
    expect(stripe.requests.filter((r) => r.idempotencyKey === "key-one").map((r) => r.replayed)).toEqual([
      false,
      true,
    ]);
    const conflict = await client.customers.create({ name: "twice" }, { idempotencyKey: "key-one" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(conflict).toMatchObject({ type: "StripeIdempotencyError", statusCode: 400 });
    const missing = await client.subscriptions.retrieve("sub_nope").catch((e: unknown) => e as object);
    expect(missing).toMatchObject({
      type: "StripeInvalidRequestError",
      code: "resource_missing",
      statusCode: 404,
    });
    stripe.customers.delete(first.id);
  });

  test("checkout completes with its events out of order: Starter, and 400 credits once", async () => {
    const session = stripe.lastCheckoutSession(accountId)!;
    const sent = await stripe.completeCheckout(session.id as string, [
      "invoice.paid",
      "customer.subscription.created",
      "checkout.session.completed",
    ]);
    expect(stripe.deliveries.slice(-3).map((d) => d.status)).toEqual([200, 200, 200]);
    subscriptionId = [...stripe.subscriptions.keys()].at(-1)!;
    expect(await account()).toMatchObject({
      plan: "pro",
      balance: 25 + 1400,
      billing: { subscribed: true, pastDue: false, planEndsAt: null },
      limits: { concurrentJobs: 16 },
    });
    // The grant names the invoice.paid event that brought it.
    const grant = await server.t.db
      .selectFrom("credit_ledger")
      .select(["amount", "stripe_event_id", "period"])
      .where("account_id", "=", accountId)
      .where("stripe_event_id", "is not", null)
      .execute();
    expect(grant).toEqual([
      {
        amount: 1400,
        stripe_event_id: sent.find((e) => e.type === "invoice.paid")!.id,
        period: expect.stringMatching(new RegExp(`^stripe:${subscriptionId}:\\d+$`)),
      },
    ]);
    const changes = await server.t.db
      .selectFrom("billing_changes")
      .select(["change", "plan_after", "stripe_event_id"])
      .where("account_id", "=", accountId)
      .execute();
    expect(changes).toEqual([{ change: "plan", plan_after: "pro", stripe_event_id: sent[0]!.id }]);
    const again = await post<{ error: { code: string } }>("/v1/billing/checkout", { plan: "starter" });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("already_subscribed");
  });

  test("a duplicate event changes nothing; another event for a paid period grants nothing again", async () => {
    const paid = stripe.events.filter((e) => e.type === "invoice.paid").at(-1)!;
    const replay = await stripe.deliver(paid, "rotated");
    expect(replay.status).toBe(200);
    expect(JSON.parse(replay.body)).toEqual({ received: true, duplicate: true });
    const copy = await stripe.deliver({ ...paid, id: "evt_same_invoice_other_id" });
    expect(JSON.parse(copy.body)).toEqual({ received: true, duplicate: false });
    expect((await account()).balance).toBe(1425);
  });

  test("the same event delivered twice at once is applied once", async () => {
    const paid = stripe.events.filter((e) => e.type === "invoice.paid").at(-1)!;
    const twin = { ...paid, id: "evt_concurrent_twin" };
    const both = await Promise.all([stripe.deliver(twin), stripe.deliver(twin)]);
    expect(both.map((d) => d.status)).toEqual([200, 200]);
    expect(both.map((d) => JSON.parse(d.body).duplicate).sort()).toEqual([false, true]);
    expect((await account()).balance).toBe(1425);
  });

  test("a renewal grants the period's credits once; the calendar's monthly grant skips Stripe accounts", async () => {
    const renewal = await stripe.renew(subscriptionId);
    expect((await account()).balance).toBe(1425 + 1400);
    for (const event of renewal) await stripe.deliver(event);
    expect((await account()).balance).toBe(1425 + 1400);
    await grantMonthlyCredits({ ctx: server.engine, at: new Date(Date.UTC(2031, 0, 1)) });
    expect((await account()).balance).toBe(1425 + 1400);
  });

  test("a failed renewal grants nothing and marks the account past due, back to Free after the grace", async () => {
    const failed = await stripe.failRenewal(subscriptionId);
    const now = await account();
    expect(now).toMatchObject({ plan: "pro", balance: 2825, billing: { pastDue: true } });
    const since = Date.parse(now.billing.pastDueSince!);
    expect(Date.parse(now.billing.downgradeAt!) - since).toBe(7 * 24 * 3600_000);
    expect(await expireGracePeriods({ ctx: server.engine, now: new Date(since + 1000) })).toBe(0);
    expect(await expireGracePeriods({ ctx: server.engine, now: new Date(since + 8 * 24 * 3600_000) })).toBe(
      1,
    );
    expect(await account()).toMatchObject({ plan: "free", balance: 2825, billing: { pastDue: true } });
    const lapse = await server.t.db
      .selectFrom("billing_changes")
      .select(["stripe_event_id", "plan_before"])
      .where("change", "=", "grace_expired")
      .execute();
    expect(lapse).toEqual([
      { stripe_event_id: failed.find((e) => e.type === "invoice.payment_failed")!.id, plan_before: "pro" },
    ]);
    // A late copy of the renewal's update does not undo the lapse.
    await stripe.deliver({ ...failed[1]!, id: "evt_late_update" });
    expect((await account()).plan).toBe("free");
  });

  test("paying the open invoice brings the plan and the period's credits back", async () => {
    await stripe.payOpenInvoice(subscriptionId);
    expect(await account()).toMatchObject({
      plan: "pro",
      balance: 2825 + 1400,
      billing: { pastDue: false, pastDueSince: null, downgradeAt: null },
    });
  });

  test("cancellation keeps the plan until the period's end, then Free", async () => {
    await stripe.cancelAtPeriodEnd(subscriptionId);
    const canceled = await account();
    expect(canceled.plan).toBe("pro");
    const sub = stripe.subscriptions.get(subscriptionId)!;
    const end = (sub.items as { data: { current_period_end: number }[] }).data[0]!.current_period_end;
    expect(canceled.billing.planEndsAt).toBe(new Date(end * 1000).toISOString());
    const ended = await stripe.endPeriod(subscriptionId);
    expect(await account()).toMatchObject({
      plan: "free",
      balance: 4225,
      billing: { subscribed: false, planEndsAt: null, pastDue: false },
    });
    // Replayed, and an older update arriving after the deletion: still Free.
    await stripe.deliver(ended[0]!);
    const olderUpdate = stripe.events.filter((e) => e.type === "customer.subscription.updated").at(-1)!;
    await stripe.deliver({ ...olderUpdate, id: "evt_update_after_delete" });
    expect((await account()).plan).toBe("free");
  });

  test("an event for a customer that is not ours is kept and changes nothing", async () => {
    const stranger: StripeEvent = {
      ...stripe.events[0]!,
      id: "evt_stranger",
      type: "customer.subscription.updated",
      data: { object: { id: "sub_unknown", customer: "cus_unknown", status: "active" } },
    };
    const delivery = await stripe.deliver(stranger);
    expect(delivery.status).toBe(200);
  });
});

describe("without Stripe settings", () => {
  test("the four Stripe settings come together or not at all, each checked at boot", () => {
    expect(() => readEnv({ MME_STRIPE_SECRET_KEY: "sk_test_abc" })).toThrow(
      /MME_STRIPE_WEBHOOK_SECRET, MME_STRIPE_PRICE_STARTER, MME_STRIPE_PRICE_PRO: Stripe billing needs all of/,
    );
    expect(() => readEnv({ ...stripe.env(), MME_STRIPE_PRICE_PRO: "prod_123" })).toThrow(
      /MME_STRIPE_PRICE_PRO: must be a Stripe price id/,
    );
    expect(() => readEnv({ ...stripe.env(), MME_STRIPE_SECRET_KEY: "pk_test_publishable" })).toThrow(
      /MME_STRIPE_SECRET_KEY: must be a Stripe secret key/,
    );
    expect(readEnv(stripe.env()).MME_BILLING_GRACE_DAYS).toBe(7);
  });

  test("the plans are the operator's: checkout and portal say so, the webhook is not there", async () => {
    const plain = await startTestServer();
    try {
      const k = await plain.newKey();
      const info = (await (await plain.api("/v1/billing", { key: k })).json()) as BillingInfo;
      expect(info).toEqual({ selfServe: false, enterpriseContact: null, customer: false });
      for (const path of ["/v1/billing/checkout", "/v1/billing/portal"]) {
        const response = await plain.api(path, {
          method: "POST",
          key: k,
          body: JSON.stringify({ plan: "starter" }),
        });
        expect(response.status, path).toBe(422);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
          "billing_not_configured",
        );
      }
      const hook = await fetch(`${plain.url}/billing/stripe/webhook`, { method: "POST", body: "{}" });
      expect(hook.status).toBe(404);
    } finally {
      await plain.stop();
    }
  });
});

function settingsOf(fake: FakeStripe) {
  const env = fake.env();
  return {
    secretKey: env.MME_STRIPE_SECRET_KEY!,
    webhookSecret: env.MME_STRIPE_WEBHOOK_SECRET!,
    prices: { starter: env.MME_STRIPE_PRICE_STARTER!, pro: env.MME_STRIPE_PRICE_PRO! },
    apiBase: env.MME_STRIPE_API_BASE,
  };
}
