import {
  AppError,
  type ListWebhookDeliveriesRequest,
  type ReplayResult,
  type ReplayWebhookEndpointRequest,
  type WebhookDelivery,
  type WebhookDeliveryList,
  type WebhookEventType,
} from "@mcpmediaengine/contract";
import type { WebhookAttemptRow } from "@mcpmediaengine/db";
import type { Caller, EngineContext } from "../../context";
import {
  attemptsOf,
  type DeliveryListRow,
  failedDeliveriesOf,
  listDeliveries as listDeliveryRows,
  requeueDeliveries,
} from "../../repositories/webhooks";

function present(row: DeliveryListRow, attempts: WebhookAttemptRow[]): WebhookDelivery {
  return {
    deliveryId: row.id,
    eventId: row.event_id,
    eventType: row.event_type as WebhookEventType,
    jobId: row.job_id,
    endpointId: row.endpoint_id,
    url: row.url,
    status: row.status,
    nextAttemptAt: row.status === "pending" ? (row.next_attempt_at?.toISOString() ?? null) : null,
    createdAt: row.created_at.toISOString(),
    attempts: attempts.map((a) => ({
      attempt: a.attempt,
      attemptedAt: a.attempted_at.toISOString(),
      statusCode: a.status_code,
      latencyMs: a.latency_ms,
      error: a.error,
      responseBody: a.response_body,
    })),
  };
}

async function withAttempts(ctx: EngineContext, rows: DeliveryListRow[]): Promise<WebhookDelivery[]> {
  const attempts = await attemptsOf(
    ctx.db,
    rows.map((r) => r.id),
  );
  return rows.map((row) =>
    present(
      row,
      attempts.filter((a) => a.delivery_id === row.id),
    ),
  );
}

/** The delivery log, newest first, with each attempt. */
export async function listDeliveries(args: {
  ctx: EngineContext;
  caller: Caller;
  input: ListWebhookDeliveriesRequest;
}): Promise<WebhookDeliveryList> {
  const { ctx, caller, input } = args;
  const rows = (await listDeliveryRows(ctx.db, {
    accountId: caller.accountId,
    jobId: input.jobId,
    endpointId: input.endpointId,
    status: input.status,
    before: input.cursor,
    limit: input.limit + 1,
  })) as DeliveryListRow[];
  const page = rows.slice(0, input.limit);
  return {
    data: await withAttempts(ctx, page),
    nextCursor: rows.length > input.limit ? page[page.length - 1]!.id : null,
  };
}

export async function getDelivery(args: {
  ctx: EngineContext;
  caller: Caller;
  input: { deliveryId: string };
}): Promise<WebhookDelivery> {
  const { ctx, caller, input } = args;
  const rows = (await listDeliveryRows(ctx.db, {
    accountId: caller.accountId,
    deliveryId: input.deliveryId,
    limit: 1,
  })) as DeliveryListRow[];
  if (rows.length === 0) throw new AppError("not_found", `No webhook delivery ${input.deliveryId}.`);
  return (await withAttempts(ctx, rows))[0]!;
}

/** Sends a delivery again now, under its event's id, whatever became of it; its schedule starts over. */
export async function redeliver(args: {
  ctx: EngineContext;
  caller: Caller;
  input: { deliveryId: string };
}): Promise<WebhookDelivery> {
  const delivery = await getDelivery(args);
  if (delivery.status === "pending") {
    throw new AppError("invalid_request", "This delivery is still being tried; wait until it ends.");
  }
  await requeueDeliveries(args.ctx.db, args.caller.accountId, [delivery.deliveryId]);
  return getDelivery(args);
}

/** Sends every failed delivery of an endpoint in a time range again. */
export async function replayEndpoint(args: {
  ctx: EngineContext;
  caller: Caller;
  input: ReplayWebhookEndpointRequest;
}): Promise<ReplayResult> {
  const { ctx, caller, input } = args;
  const endpoint = await ctx.db
    .selectFrom("webhook_endpoints")
    .select(["id", "disabled_at"])
    .where("id", "=", input.endpointId)
    .where("account_id", "=", caller.accountId)
    .executeTakeFirst();
  if (!endpoint) throw new AppError("not_found", `No webhook endpoint ${input.endpointId}.`);
  if (endpoint.disabled_at) {
    throw new AppError("invalid_request", "The endpoint is disabled; enable it before replaying to it.");
  }
  const ids = await failedDeliveriesOf(
    ctx.db,
    caller.accountId,
    endpoint.id,
    new Date(input.since),
    input.until ? new Date(input.until) : new Date(),
  );
  return { replayed: await requeueDeliveries(ctx.db, caller.accountId, ids) };
}
