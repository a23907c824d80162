import { Webhook } from "standardwebhooks";
import { describe, expect, test } from "vitest";
import {
  newWebhookSecret,
  signWebhook,
  verifyWebhookSignature,
  WebhookVerificationError,
} from "./webhook-signature";

const body = JSON.stringify({ id: "evt_1", type: "job.completed", data: { n: 1 } });

async function signed(secrets: string[], timestamp = Math.floor(Date.now() / 1000)) {
  return {
    "webhook-id": "evt_1",
    "webhook-timestamp": String(timestamp),
    "webhook-signature": await signWebhook({ id: "evt_1", timestamp, body, secrets }),
  };
}

describe("Standard Webhooks signatures", () => {
  test("what we sign, the standardwebhooks package verifies; what it signs, we verify", async () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(new Webhook(secret).verify(body, await signed([secret]))).toEqual(JSON.parse(body));
    const at = new Date();
    const theirs = new Webhook(secret).sign("msg_9", at, body);
    const headers = {
      "webhook-id": "msg_9",
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": theirs,
    };
    expect(await verifyWebhookSignature(body, headers, secret)).toEqual(JSON.parse(body));
  });

  test("a rotated secret: both signatures are sent, and either secret verifies", async () => {
    const [old, current] = [newWebhookSecret(), newWebhookSecret()];
    const headers = await signed([current, old]);
    expect(headers["webhook-signature"].split(" ")).toHaveLength(2);
    await expect(verifyWebhookSignature(body, headers, old)).resolves.toBeTruthy();
    await expect(verifyWebhookSignature(body, new Headers(headers), [current])).resolves.toBeTruthy();
    expect(new Webhook(old).verify(body, headers)).toBeTruthy();
  });

  test("a changed body, another secret, a stale or future timestamp and missing headers are refused", async () => {
    const secret = newWebhookSecret();
    const headers = await signed([secret]);
    const refused = (promise: Promise<unknown>) =>
      expect(promise).rejects.toBeInstanceOf(WebhookVerificationError);
    await refused(verifyWebhookSignature(`${body} `, headers, secret));
    await refused(verifyWebhookSignature(body, headers, newWebhookSecret()));
    const now = Math.floor(Date.now() / 1000);
    await refused(verifyWebhookSignature(body, await signed([secret], now - 301), secret));
    await refused(verifyWebhookSignature(body, await signed([secret], now + 301), secret));
    await expect(
      verifyWebhookSignature(body, await signed([secret], now - 3000), secret, { toleranceSeconds: 3600 }),
    ).resolves.toBeTruthy();
    await refused(verifyWebhookSignature(body, { "webhook-id": "evt_1" }, secret));
    await refused(
      verifyWebhookSignature(body, { ...headers, "webhook-signature": "v1,not-base64!" }, secret),
    );
  });
});
