import { signWebhook } from "@mcpmediaengine/contract";
import type { Task } from "graphile-worker";
import type { EngineContext } from "../context";
import { WebhookPayload } from "../queue/tasks";
import {
  abandonDelivery,
  disableEndpoint,
  disableIfFailingSince,
  findDeliveryToSend,
  recordAttempt,
} from "../repositories/webhooks";
import { accountSecret } from "../services/webhooks/secret";
import { resolveWebhookTarget } from "../webhooks/address-guard";
import { nextDelayMs } from "../webhooks/schedule";
import { sendWebhook } from "../webhooks/send";

/**
 * One attempt at a delivery. The URL is resolved and checked again here (it may point elsewhere since it was
 * accepted) and the request goes to the checked address. A 2xx ends the delivery; 410 Gone disables the endpoint;
 * anything else is tried again on the schedule (Retry-After honoured) until the schedule is spent. Every attempt
 * carries the event's id as webhook-id and the same body, freshly timestamped and signed.
 */
export function createWebhookTask(ctx: EngineContext): Task {
  return async (rawPayload) => {
    const { deliveryId } = WebhookPayload.parse(rawPayload);
    const delivery = await findDeliveryToSend(ctx.db, deliveryId);
    if (delivery?.status !== "pending") return;
    if (
      delivery.endpoint_id !== null &&
      (delivery.live_endpoint_id === null || delivery.disabled_at !== null)
    ) {
      await abandonDelivery(ctx.db, deliveryId); // the endpoint was deleted or disabled meanwhile
      return;
    }
    const secrets =
      delivery.endpoint_id === null ? await accountSecret(ctx.db, delivery.account_id) : delivery.secrets;
    const attempt = delivery.attempt_count + 1;
    const attemptedAt = new Date();
    let result: Awaited<ReturnType<typeof sendWebhook>>;
    try {
      const target = await resolveWebhookTarget(delivery.url, ctx.webhooks.allowPrivate);
      const timestamp = Math.floor(attemptedAt.getTime() / 1000);
      const headers = {
        "webhook-id": delivery.event_id,
        "webhook-timestamp": String(timestamp),
        "webhook-signature": await signWebhook({
          id: delivery.event_id,
          timestamp,
          body: delivery.body,
          secrets,
        }),
      };
      result = await sendWebhook(target, headers, delivery.body, ctx.webhooks.timeoutMs);
    } catch (error) {
      result = {
        statusCode: null,
        latencyMs: 0,
        error: error instanceof Error ? error.message : String(error),
        responseBody: null,
        retryAfterMs: null,
      };
    }
    const record = { id: deliveryId, endpointId: delivery.endpoint_id, attempt };
    const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    if (ok) {
      await recordAttempt(ctx.db, record, { attemptedAt, ...result }, { status: "succeeded" });
      return;
    }
    if (result.statusCode === 410) {
      await recordAttempt(ctx.db, record, { attemptedAt, ...result }, { status: "failed" });
      if (delivery.endpoint_id) {
        await disableEndpoint(ctx.db, delivery.endpoint_id, "the endpoint answered 410 Gone");
      }
      return;
    }
    const honoured = result.statusCode === 429 || result.statusCode === 503 ? result.retryAfterMs : null;
    const delay = nextDelayMs(ctx.webhooks.retryScheduleMs, attempt - delivery.round_start, honoured);
    await recordAttempt(
      ctx.db,
      record,
      { attemptedAt, ...result },
      delay === null ? { status: "failed" } : { status: "pending", retryAt: new Date(Date.now() + delay) },
    );
    if (delivery.endpoint_id) {
      await disableIfFailingSince(ctx.db, delivery.endpoint_id, ctx.webhooks.disableAfterMs);
    }
  };
}
