import {
  AppError,
  type CreateWebhookEndpointRequest,
  newId,
  newWebhookSecret,
  type UpdateWebhookEndpointRequest,
  type WebhookEndpoint,
  type WebhookEndpointList,
  type WebhookEndpointWithSecret,
  type WebhookEventType,
} from "@mcpmediaengine/contract";
import type { WebhookEndpointRow } from "@mcpmediaengine/db";
import type { Caller, EngineContext } from "../../context";
import { insertEndpointWithinLimit } from "../../repositories/webhooks";
import { resolveWebhookTarget } from "../../webhooks/address-guard";

/** The most endpoints one account may have. */
const MAX_ENDPOINTS = 20;

function present(row: WebhookEndpointRow): WebhookEndpoint {
  return {
    endpointId: row.id,
    url: row.url,
    events: (row.events as WebhookEventType[] | null) ?? null,
    description: row.description,
    enabled: row.disabled_at === null,
    disabledReason: row.disabled_at === null ? null : (row.disabled_reason ?? "disabled"),
    failingSince: row.failing_since?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

async function find(ctx: EngineContext, caller: Caller, endpointId: string): Promise<WebhookEndpointRow> {
  const row = await ctx.db
    .selectFrom("webhook_endpoints")
    .selectAll()
    .where("id", "=", endpointId)
    .where("account_id", "=", caller.accountId)
    .executeTakeFirst();
  if (!row) throw new AppError("not_found", `No webhook endpoint ${endpointId}.`);
  return row;
}

export async function createEndpoint(args: {
  ctx: EngineContext;
  caller: Caller;
  input: CreateWebhookEndpointRequest;
}): Promise<WebhookEndpointWithSecret> {
  const { ctx, caller, input } = args;
  await resolveWebhookTarget(input.url, ctx.webhooks.allowPrivate);
  const row = await insertEndpointWithinLimit(
    ctx.db,
    {
      id: newId("webhookEndpoint"),
      accountId: caller.accountId,
      url: input.url,
      events: input.events ?? null,
      description: input.description ?? "",
      secret: newWebhookSecret(),
    },
    MAX_ENDPOINTS,
  );
  if (!row) {
    throw new AppError("invalid_request", `An account may have at most ${MAX_ENDPOINTS} webhook endpoints.`);
  }
  return { ...present(row), secret: row.secret };
}

export async function listEndpoints(args: {
  ctx: EngineContext;
  caller: Caller;
}): Promise<WebhookEndpointList> {
  const rows = await args.ctx.db
    .selectFrom("webhook_endpoints")
    .selectAll()
    .where("account_id", "=", args.caller.accountId)
    .orderBy("id", "desc")
    .execute();
  return { data: rows.map(present) };
}

/** An endpoint with its secret (only its account can read it). */
export async function getEndpoint(args: {
  ctx: EngineContext;
  caller: Caller;
  input: { endpointId: string };
}): Promise<WebhookEndpointWithSecret> {
  const row = await find(args.ctx, args.caller, args.input.endpointId);
  return { ...present(row), secret: row.secret };
}

export async function updateEndpoint(args: {
  ctx: EngineContext;
  caller: Caller;
  input: UpdateWebhookEndpointRequest;
}): Promise<WebhookEndpoint> {
  const { ctx, caller, input } = args;
  await find(ctx, caller, input.endpointId);
  if (input.url !== undefined) await resolveWebhookTarget(input.url, ctx.webhooks.allowPrivate);
  const row = await ctx.db
    .updateTable("webhook_endpoints")
    .set({
      ...(input.url !== undefined && { url: input.url }),
      ...(input.events !== undefined && { events: input.events }),
      ...(input.description !== undefined && { description: input.description }),
      // Enabling clears a disable (yours or ours) and the failing streak; disabling is yours.
      ...(input.enabled === true && { disabled_at: null, disabled_reason: null, failing_since: null }),
      ...(input.enabled === false && { disabled_at: new Date(), disabled_reason: "disabled by the account" }),
      updated_at: new Date(),
    })
    .where("id", "=", input.endpointId)
    .where("account_id", "=", caller.accountId)
    .returningAll()
    .executeTakeFirstOrThrow();
  return present(row);
}

/** Deletes an endpoint; its pending deliveries end unsent, and the log keeps what was sent. */
export async function deleteEndpoint(args: {
  ctx: EngineContext;
  caller: Caller;
  input: { endpointId: string };
}): Promise<WebhookEndpoint> {
  const row = await find(args.ctx, args.caller, args.input.endpointId);
  await args.ctx.db.deleteFrom("webhook_endpoints").where("id", "=", row.id).execute();
  return present(row);
}
