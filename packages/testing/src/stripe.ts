import { createHash, createHmac, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local stand-in for Stripe that speaks the part of its documented API the engine uses: form-encoded requests
 * with bracketed keys, `Authorization: Bearer sk_…`, Stripe's error body (`{ error: { type, code, message,
 * param } }`), Idempotency-Key replay (same key and parameters: the first answer again with
 * `Idempotent-Replayed: true`; other parameters: 400 idempotency_error), customers, Checkout sessions, billing
 * portal sessions and subscriptions. It plays the customer too: paying at checkout, renewals that are paid or
 * fail, cancellation at the period's end, each sending signed events (`Stripe-Signature: t=…,v1=…`, HMAC-SHA256
 * of "t.body" with the endpoint's secret) to the webhook URL, in any order, as often as asked.
 */

export const FAKE_STRIPE_KEY = "sk_test_fakeStripeKey0001";
export const FAKE_STRIPE_WEBHOOK_SECRET = "whsec_fakeStripeSigningSecret0001";
export const FAKE_STRIPE_PRICES = { starter: "price_starter_monthly", pro: "price_pro_monthly" } as const;
const API_VERSION = "2026-10-28.endive";
const PERIOD_SECONDS = 30 * 24 * 3600;
const PRICE_CENTS: Record<string, number> = {
  [FAKE_STRIPE_PRICES.starter]: 2900,
  [FAKE_STRIPE_PRICES.pro]: 7900,
};

type Obj = Record<string, unknown>;

export interface StripeEvent {
  id: string;
  object: "event";
  type: string;
  created: number;
  api_version: string;
  livemode: false;
  pending_webhooks: number;
  request: { id: null; idempotency_key: null };
  data: { object: Obj };
}

export interface Delivery {
  eventId: string;
  type: string;
  status: number;
  body: string;
}

/**
 * How a delivery is signed: properly, not at all, with the wrong secret, an hour ago, an hour ahead, or with a
 * signature by a rotated-out secret before the right one (Stripe sends one v1 per live secret).
 */
export type Signing = "valid" | "none" | "bad" | "stale" | "future" | "rotated";

export interface RecordedRequest {
  method: string;
  path: string;
  idempotencyKey?: string;
  replayed: boolean;
}

export interface FakeStripe {
  /** MME_STRIPE_API_BASE. */
  url: string;
  /** Where events are sent; set once the engine listens. */
  webhookUrl: string;
  /** The settings that point the engine at this fake. */
  env(): Record<string, string>;
  requests: RecordedRequest[];
  deliveries: Delivery[];
  events: StripeEvent[];
  customers: Map<string, Obj>;
  subscriptions: Map<string, Obj>;
  /**
   * The customer pays at checkout: a subscription and its first paid invoice. The events go out in `order` (a
   * permutation of checkout.session.completed, customer.subscription.created, invoice.paid), each awaited.
   */
  completeCheckout(sessionId: string, order?: string[]): Promise<StripeEvent[]>;
  /** The session opened most recently (for that client_reference_id, when given). */
  lastCheckoutSession(clientReferenceId?: string): Obj | undefined;
  /** The next period begins and its invoice is paid (invoice.paid, customer.subscription.updated). */
  renew(subscriptionId: string): Promise<StripeEvent[]>;
  /** The next period begins and its payment fails: past_due (invoice.payment_failed, subscription updated). */
  failRenewal(subscriptionId: string): Promise<StripeEvent[]>;
  /** The open invoice is paid after all: active again (invoice.paid, subscription updated). */
  payOpenInvoice(subscriptionId: string): Promise<StripeEvent[]>;
  /** The customer cancels in the portal: the plan lasts until the period's end (subscription updated). */
  cancelAtPeriodEnd(subscriptionId: string): Promise<StripeEvent[]>;
  /** The period ends on a canceled subscription: customer.subscription.deleted. */
  endPeriod(subscriptionId: string): Promise<StripeEvent[]>;
  /** Sends an event (again), signed as asked; the engine's answer. */
  deliver(event: StripeEvent, signing?: Signing): Promise<Delivery>;
  close(): Promise<void>;
}

export async function startFakeStripe(
  options: { key?: string; webhookSecret?: string } = {},
): Promise<FakeStripe> {
  const key = options.key ?? FAKE_STRIPE_KEY;
  const secret = options.webhookSecret ?? FAKE_STRIPE_WEBHOOK_SECRET;
  const customers = new Map<string, Obj>();
  const sessions = new Map<string, Obj>();
  const portals = new Map<string, Obj>();
  const subscriptions = new Map<string, Obj>();
  const invoices = new Map<string, Obj>();
  const idempotent = new Map<string, { hash: string; status: number; body: string }>();
  const requests: RecordedRequest[] = [];
  const deliveries: Delivery[] = [];
  const events: StripeEvent[] = [];
  let base = "";

  const now = () => Math.floor(Date.now() / 1000);
  const id = (prefix: string) => `${prefix}_${randomBytes(12).toString("hex")}`;

  function newEvent(type: string, object: Obj): StripeEvent {
    const event: StripeEvent = {
      id: id("evt"),
      object: "event",
      type,
      created: now(),
      api_version: API_VERSION,
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      // A snapshot: later changes to the object do not reach an event already made.
      data: { object: structuredClone(object) },
    };
    events.push(event);
    return event;
  }

  async function deliver(event: StripeEvent, signing: Signing = "valid"): Promise<Delivery> {
    const body = JSON.stringify(event, null, 2);
    const sign = (t: number, withSecret: string) =>
      createHmac("sha256", withSecret).update(`${t}.${body}`).digest("hex");
    const t = signing === "stale" ? now() - 3600 : signing === "future" ? now() + 3600 : now();
    const header =
      signing === "none"
        ? undefined
        : signing === "bad"
          ? `t=${t},v1=${sign(t, "whsec_notTheEndpointSecret")}`
          : signing === "rotated"
            ? `t=${t},v1=${sign(t, "whsec_theSecretBeforeRotation")},v1=${sign(t, secret)}`
            : `t=${t},v1=${sign(t, secret)}`;
    const response = await fetch(fake.webhookUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json; charset=utf-8",
        "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        ...(header && { "stripe-signature": header }),
      },
      body,
    });
    const delivery = {
      eventId: event.id,
      type: event.type,
      status: response.status,
      body: await response.text(),
    };
    deliveries.push(delivery);
    return delivery;
  }

  async function send(list: StripeEvent[]): Promise<StripeEvent[]> {
    for (const event of list) await deliver(event);
    return list;
  }

  function item(sub: Obj): Obj {
    return (sub.items as { data: Obj[] }).data[0]!;
  }

  function invoiceFor(sub: Obj, reason: string, paid: boolean): Obj {
    const it = item(sub);
    const price = (it.price as Obj).id as string;
    const invoice: Obj = {
      id: id("in"),
      object: "invoice",
      customer: sub.customer,
      status: paid ? "paid" : "open",
      billing_reason: reason,
      currency: "usd",
      amount_due: PRICE_CENTS[price],
      amount_paid: paid ? PRICE_CENTS[price] : 0,
      period_start: it.current_period_start,
      period_end: it.current_period_end,
      parent: {
        type: "subscription_details",
        quote_details: null,
        subscription_details: { subscription: sub.id, metadata: sub.metadata },
      },
      lines: {
        object: "list",
        has_more: false,
        data: [
          {
            id: id("il"),
            object: "line_item",
            amount: PRICE_CENTS[price],
            currency: "usd",
            period: { start: it.current_period_start, end: it.current_period_end },
            pricing: { type: "price_details", price_details: { price, product: "prod_fake" } },
          },
        ],
      },
      created: now(),
    };
    invoices.set(invoice.id as string, invoice);
    sub.latest_invoice = invoice.id;
    return invoice;
  }

  function nextPeriod(sub: Obj): void {
    const it = item(sub);
    it.current_period_start = it.current_period_end;
    it.current_period_end = (it.current_period_end as number) + PERIOD_SECONDS;
  }

  function subscriptionOf(subscriptionId: string): Obj {
    const sub = subscriptions.get(subscriptionId);
    if (!sub) throw new Error(`fake Stripe: no subscription ${subscriptionId}`);
    return sub;
  }

  async function completeCheckout(sessionId: string, order?: string[]): Promise<StripeEvent[]> {
    const session = sessions.get(sessionId);
    if (!session) throw new Error(`fake Stripe: no checkout session ${sessionId}`);
    if (session.status === "complete") throw new Error("fake Stripe: this checkout is already paid");
    const price = (session.line_items as Obj[])[0]!.price as string;
    const start = now();
    const sub: Obj = {
      id: id("sub"),
      object: "subscription",
      customer: session.customer,
      status: "active",
      cancel_at_period_end: false,
      cancel_at: null,
      canceled_at: null,
      ended_at: null,
      created: start,
      metadata: (session.subscription_data as Obj | undefined)?.metadata ?? {},
      items: {
        object: "list",
        data: [
          {
            id: id("si"),
            object: "subscription_item",
            price: { id: price, object: "price", recurring: { interval: "month" } },
            quantity: 1,
            current_period_start: start,
            current_period_end: start + PERIOD_SECONDS,
          },
        ],
      },
    };
    subscriptions.set(sub.id as string, sub);
    const invoice = invoiceFor(sub, "subscription_create", true);
    Object.assign(session, { status: "complete", payment_status: "paid", subscription: sub.id });
    const made: Record<string, StripeEvent> = {
      "checkout.session.completed": newEvent("checkout.session.completed", session),
      "customer.subscription.created": newEvent("customer.subscription.created", sub),
      "invoice.paid": newEvent("invoice.paid", invoice),
    };
    const sequence = order ?? ["checkout.session.completed", "customer.subscription.created", "invoice.paid"];
    return send(sequence.map((type) => made[type]!));
  }

  const fake: FakeStripe = {
    url: "",
    webhookUrl: "",
    env: () => ({
      MME_STRIPE_SECRET_KEY: key,
      MME_STRIPE_WEBHOOK_SECRET: secret,
      MME_STRIPE_PRICE_STARTER: FAKE_STRIPE_PRICES.starter,
      MME_STRIPE_PRICE_PRO: FAKE_STRIPE_PRICES.pro,
      MME_STRIPE_API_BASE: base,
    }),
    requests,
    deliveries,
    events,
    customers,
    subscriptions,
    completeCheckout,
    lastCheckoutSession: (ref) =>
      [...sessions.values()].filter((s) => ref === undefined || s.client_reference_id === ref).at(-1),
    async renew(subscriptionId) {
      const sub = subscriptionOf(subscriptionId);
      nextPeriod(sub);
      sub.status = "active";
      const invoice = invoiceFor(sub, "subscription_cycle", true);
      return send([newEvent("invoice.paid", invoice), newEvent("customer.subscription.updated", sub)]);
    },
    async failRenewal(subscriptionId) {
      const sub = subscriptionOf(subscriptionId);
      nextPeriod(sub);
      sub.status = "past_due";
      const invoice = invoiceFor(sub, "subscription_cycle", false);
      return send([
        newEvent("invoice.payment_failed", invoice),
        newEvent("customer.subscription.updated", sub),
      ]);
    },
    async payOpenInvoice(subscriptionId) {
      const sub = subscriptionOf(subscriptionId);
      const invoice = invoices.get(sub.latest_invoice as string)!;
      Object.assign(invoice, { status: "paid", amount_paid: invoice.amount_due });
      sub.status = "active";
      return send([newEvent("invoice.paid", invoice), newEvent("customer.subscription.updated", sub)]);
    },
    async cancelAtPeriodEnd(subscriptionId) {
      const sub = subscriptionOf(subscriptionId);
      Object.assign(sub, {
        cancel_at_period_end: true,
        cancel_at: item(sub).current_period_end,
        canceled_at: now(),
      });
      return send([newEvent("customer.subscription.updated", sub)]);
    },
    async endPeriod(subscriptionId) {
      const sub = subscriptionOf(subscriptionId);
      Object.assign(sub, { status: "canceled", ended_at: now() });
      return send([newEvent("customer.subscription.deleted", sub)]);
    },
    deliver,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  // --- the API ---

  function stripeError(res: ServerResponse, status: number, error: Obj): void {
    res.writeHead(status, { "content-type": "application/json", "request-id": id("req") });
    res.end(JSON.stringify({ error: { type: "invalid_request_error", ...error } }));
  }

  function missing(kind: string, value: unknown, param: string): Obj {
    return { code: "resource_missing", message: `No such ${kind}: '${String(value)}'`, param };
  }

  /** The API's answer to one request: [status, body] or an error. */
  function route(method: string, path: string, params: Obj): [number, Obj] {
    const customerPath = path.match(/^\/v1\/customers\/(\w+)$/);
    const subscriptionPath = path.match(/^\/v1\/subscriptions\/(\w+)$/);
    if (method === "POST" && path === "/v1/customers") {
      const customer = {
        id: id("cus"),
        object: "customer",
        name: params.name ?? null,
        email: params.email ?? null,
        metadata: params.metadata ?? {},
        created: now(),
        livemode: false,
      };
      customers.set(customer.id, customer);
      return [200, customer];
    }
    if (method === "GET" && customerPath) {
      const customer = customers.get(customerPath[1]!);
      return customer ? [200, customer] : [404, missing("customer", customerPath[1], "id")];
    }
    if (method === "POST" && path === "/v1/checkout/sessions") {
      if (!customers.has(params.customer as string))
        return [400, missing("customer", params.customer, "customer")];
      if (params.mode !== "subscription" && params.mode !== "payment")
        return [
          400,
          { message: "Invalid mode: must be one of payment, setup, or subscription", param: "mode" },
        ];
      const lines = (params.line_items as Obj[] | undefined) ?? [];
      if (lines.length === 0)
        return [400, { message: "Missing required param: line_items.", param: "line_items" }];
      for (const [i, line] of lines.entries()) {
        if (!(String(line.price) in PRICE_CENTS))
          return [400, missing("price", line.price, `line_items[${i}][price]`)];
      }
      if (!params.success_url)
        return [400, { message: "Missing required param: success_url.", param: "success_url" }];
      const sessionId = id("cs_test");
      const session = {
        id: sessionId,
        object: "checkout.session",
        mode: params.mode,
        status: "open",
        payment_status: "unpaid",
        customer: params.customer,
        client_reference_id: params.client_reference_id ?? null,
        metadata: params.metadata ?? {},
        subscription_data: params.subscription_data,
        line_items: lines,
        success_url: params.success_url,
        cancel_url: params.cancel_url ?? null,
        subscription: null,
        url: `${base}/c/pay/${sessionId}`,
        created: now(),
        livemode: false,
      };
      sessions.set(sessionId, session);
      return [200, session];
    }
    if (method === "POST" && path === "/v1/billing_portal/sessions") {
      if (!customers.has(params.customer as string))
        return [400, missing("customer", params.customer, "customer")];
      const portal = {
        id: id("bps"),
        object: "billing_portal.session",
        customer: params.customer,
        return_url: params.return_url ?? null,
        url: "",
        created: now(),
        livemode: false,
      };
      portal.url = `${base}/p/session/${portal.id}`;
      portals.set(portal.id, portal);
      return [200, portal];
    }
    if (method === "GET" && subscriptionPath) {
      const sub = subscriptions.get(subscriptionPath[1]!);
      return sub ? [200, sub] : [404, missing("subscription", subscriptionPath[1], "id")];
    }
    return [404, { message: `Unrecognized request URL (${method}: ${path}).` }];
  }

  async function api(req: IncomingMessage, res: ServerResponse, url: URL, raw: string): Promise<void> {
    const method = req.method ?? "GET";
    const auth = req.headers.authorization ?? "";
    const idempotencyKey = (req.headers["idempotency-key"] as string | undefined) || undefined;
    const record: RecordedRequest = { method, path: url.pathname, idempotencyKey, replayed: false };
    requests.push(record);
    if (auth !== `Bearer ${key}`) {
      stripeError(res, 401, {
        message: `Invalid API Key provided: ${auth.replace(/^Bearer /, "").slice(0, 8)}****`,
      });
      return;
    }
    const params = parseForm(method === "GET" ? url.search.slice(1) : raw);
    const hash = createHash("sha256").update(`${method} ${url.pathname} ${raw}`).digest("hex");
    if (method === "POST" && idempotencyKey) {
      const earlier = idempotent.get(idempotencyKey);
      if (earlier && earlier.hash !== hash) {
        stripeError(res, 400, {
          type: "idempotency_error",
          message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
        });
        return;
      }
      if (earlier) {
        record.replayed = true;
        res.writeHead(earlier.status, {
          "content-type": "application/json",
          "idempotent-replayed": "true",
          "idempotency-key": idempotencyKey,
        });
        res.end(earlier.body);
        return;
      }
    }
    const [status, body] = route(method, url.pathname, params);
    const text = JSON.stringify(
      status === 200 ? body : { error: { type: "invalid_request_error", ...body } },
    );
    // Stripe keeps the answer of a key (errors included, except its own 500s) for 24 hours.
    if (method === "POST" && idempotencyKey) idempotent.set(idempotencyKey, { hash, status, body: text });
    res.writeHead(status, {
      "content-type": "application/json",
      "request-id": id("req"),
      "stripe-version": API_VERSION,
      ...(idempotencyKey && { "idempotency-key": idempotencyKey }),
    });
    res.end(text);
  }

  // --- the pages a person sees: hosted checkout and the customer portal ---

  function page(res: ServerResponse, title: string, body: string): void {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`,
    );
  }

  async function pages(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const pay = url.pathname.match(/^\/c\/pay\/(\w+)$/);
    const portalPath = url.pathname.match(/^\/p\/session\/(\w+)(\/cancel)?$/);
    if (pay) {
      const session = sessions.get(pay[1]!);
      if (!session) return false;
      if (req.method === "POST") {
        await completeCheckout(session.id as string);
        res.writeHead(303, { location: session.success_url as string }).end();
        return true;
      }
      const price = String((session.line_items as Obj[])[0]!.price);
      page(
        res,
        "Fake Stripe Checkout",
        `<p>Subscribe: ${price}, $${PRICE_CENTS[price]! / 100} a month.</p><form method="post"><button type="submit">Subscribe</button></form><p><a href="${session.cancel_url}">Back</a></p>`,
      );
      return true;
    }
    if (portalPath) {
      const portal = portals.get(portalPath[1]!);
      if (!portal) return false;
      const sub = [...subscriptions.values()].find(
        (s) => s.customer === portal.customer && s.status !== "canceled",
      );
      if (req.method === "POST" && portalPath[2]) {
        if (sub) await fake.cancelAtPeriodEnd(sub.id as string);
        res.writeHead(303, { location: portal.return_url as string }).end();
        return true;
      }
      page(
        res,
        "Fake Stripe customer portal",
        `<p>Subscription: ${sub ? `${sub.id} (${sub.status})` : "none"}</p>${sub ? `<form method="post" action="/p/session/${portal.id}/cancel"><button type="submit">Cancel plan</button></form>` : ""}<p><a href="${portal.return_url}">Return</a></p>`,
      );
      return true;
    }
    return false;
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", base);
      const raw = Buffer.concat(chunks).toString("utf8");
      const handle = url.pathname.startsWith("/v1/")
        ? api(req, res, url, raw)
        : pages(req, res, url).then((served) => {
            if (!served) stripeError(res, 404, { message: "Not found." });
          });
      handle.catch((error: unknown) => {
        if (!res.headersSent) stripeError(res, 500, { type: "api_error", message: String(error) });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.url = base;
  return fake;
}

/** Stripe's form encoding: `a[b][0][c]=v` into nested objects and arrays. */
export function parseForm(text: string): Obj {
  const root: Obj = {};
  for (const [name, value] of new URLSearchParams(text)) {
    const keys = name.split(/\[|\]\[|\]/).filter((k) => k !== "");
    let node: Obj | unknown[] = root;
    keys.forEach((k, i) => {
      const last = i === keys.length - 1;
      const nextIsIndex = !last && /^\d+$/.test(keys[i + 1]!);
      const container = node as Record<string, unknown>;
      if (last) container[k] = value;
      else {
        container[k] ??= nextIsIndex ? [] : {};
        node = container[k] as Obj;
      }
    });
  }
  return root;
}
