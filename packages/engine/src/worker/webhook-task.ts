import { signWebhook } from "@mcpmediaengine/contract";
import { trace } from "@opentelemetry/api";
import type { Task } from "graphile-worker";
import type { EngineContext } from "../context";
import { addLogFields, withLogFields } from "../observe/log-context";
import type { WebhookOutcome } from "../observe/metrics";
import { inTaskSpan } from "../observe/trace";
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
 * carries the event's id as webhook-id and the same body, freshly timestamped and signed. It runs in a span of the
 * trace that caused the delivery (the job's run, a cancel's request), and its log lines name the delivery.
 */
export function createWebhookTask(ctx: EngineContext): Task {
  return async (rawPayload, helpers) => {
    const payload = WebhookPayload.parse(rawPayload);
    await inTaskSpan(
      `process ${TASK_NAME}`,
      payload,
      {
        "messaging.system": "graphile_worker",
        "messaging.operation.type": "process",
        "messaging.destination.name": TASK_NAME,
        "messaging.message.id": helpers.job.id,
        "mme.webhook.delivery_id": payload.deliveryId,
      },
      (span) =>
        withLogFields({ deliveryId: payload.deliveryId }, async () => {
          const outcome = await deliver(ctx, payload);
          if (outcome) span.setAttribute("mme.webhook.outcome", outcome);
        }),
    );
  };
}

const TASK_NAME = "mme.webhook";

/** One attempt; how it went, or undefined when there was nothing to send. */
async function deliver(ctx: EngineContext, payload: WebhookPayload): Promise<WebhookOutcome | undefined> {
  const { deliveryId } = payload;
  const delivery = await findDeliveryToSend(ctx.db, deliveryId);
  if (delivery?.status !== "pending") return undefined;
  if (
    delivery.endpoint_id !== null &&
    (delivery.live_endpoint_id === null || delivery.disabled_at !== null)
  ) {
    await abandonDelivery(ctx.db, deliveryId); // the endpoint was deleted or disabled meanwhile
    return undefined;
  }
  addLogFields({ accountId: delivery.account_id });
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
  if (result.statusCode !== null)
    trace.getActiveSpan()?.setAttribute("http.response.status_code", result.statusCode);
  const record = { id: deliveryId, endpointId: delivery.endpoint_id, attempt, trace: payload };
  const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
  let outcome: WebhookOutcome;
  if (ok) {
    await recordAttempt(ctx.db, record, { attemptedAt, ...result }, { status: "succeeded" });
    outcome = "succeeded";
  } else if (result.statusCode === 410) {
    await recordAttempt(ctx.db, record, { attemptedAt, ...result }, { status: "failed" });
    if (delivery.endpoint_id) {
      await disableEndpoint(ctx.db, delivery.endpoint_id, "the endpoint answered 410 Gone");
    }
    outcome = "gone";
  } else {
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
    outcome = delay === null ? "failed" : "retrying";
  }
  ctx.metrics.webhookAttempt(outcome, result.latencyMs / 1000);
  return outcome;
}
