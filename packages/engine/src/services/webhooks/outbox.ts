import {
  type BatchWebhookEvent,
  DEFAULT_JOB_WEBHOOK_EVENTS,
  type JobWebhookEvent,
  newId,
} from "@mcpmediaengine/contract";
import type { BatchRow, Database, JobRow } from "@mcpmediaengine/db";
import type { Kysely } from "kysely";
import type { EngineContext } from "../../context";
import { currentTraceCarrier } from "../../observe/trace";
import { assetsOfJobs } from "../../repositories/assets";
import { tallyBatches } from "../../repositories/batches";
import { insertEvent, type NewDelivery, subscribedEndpoints } from "../../repositories/webhooks";
import { presentBatch } from "../batches/present";
import { presentJob } from "../jobs/present";

/**
 * Records a job's event for every URL that wants it: the job's own webhookUrl (for the events it asked for, by
 * default its end) and each enabled endpoint of the account subscribed to the type. Call it inside the
 * transaction that changes the job, so the event exists exactly when the change does; a worker task sends it.
 * The body is fixed here, as the job looked at this moment, and every attempt sends the same bytes. `endpoints`
 * are the account's endpoints subscribed to the type, when the caller has looked them up already.
 */
export async function recordJobEvent(
  trx: Kysely<Database>,
  ctx: EngineContext,
  row: JobRow,
  type: JobWebhookEvent["type"],
  endpoints?: { id: string; url: string }[],
): Promise<void> {
  const deliveries: NewDelivery[] = [];
  const jobWants = (row.webhook_events ?? DEFAULT_JOB_WEBHOOK_EVENTS).includes(type);
  if (row.webhook_url && jobWants) {
    deliveries.push({ id: newId("webhookDelivery"), endpointId: null, url: row.webhook_url });
  }
  for (const endpoint of endpoints ?? (await subscribedEndpoints(trx, row.account_id, type))) {
    deliveries.push({ id: newId("webhookDelivery"), endpointId: endpoint.id, url: endpoint.url });
  }
  if (deliveries.length === 0) return;
  const assets = row.status === "completed" ? ((await assetsOfJobs(trx, [row.id])).get(row.id) ?? []) : [];
  const now = new Date();
  const event: JobWebhookEvent = {
    id: newId("event", now.getTime()),
    type,
    timestamp: now.toISOString(),
    data: { job: presentJob(ctx, { baseUrl: ctx.webhooks.publicUrl }, row, assets) },
  };
  await insertEvent(
    trx,
    { id: event.id, accountId: row.account_id, type, jobId: row.id, body: JSON.stringify(event) },
    deliveries,
    currentTraceCarrier(),
  );
}

/** The same event for many jobs of one account (a batch's cancel), looking its endpoints up once. */
export async function recordJobEvents(
  trx: Kysely<Database>,
  ctx: EngineContext,
  rows: JobRow[],
  type: JobWebhookEvent["type"],
): Promise<void> {
  if (rows.length === 0) return;
  const endpoints = await subscribedEndpoints(trx, rows[0]!.account_id, type);
  for (const row of rows) await recordJobEvent(trx, ctx, row, type, endpoints);
}

/**
 * Records a batch's batch.completed for its own webhookUrl and every endpoint subscribed to it, in the transaction
 * that ended its last job. The body carries the batch with its final counts and the link to its jobs.
 */
export async function recordBatchEvent(
  trx: Kysely<Database>,
  ctx: EngineContext,
  batch: BatchRow,
): Promise<void> {
  const type = "batch.completed" as const;
  const deliveries: NewDelivery[] = [];
  if (batch.webhook_url)
    deliveries.push({ id: newId("webhookDelivery"), endpointId: null, url: batch.webhook_url });
  for (const endpoint of await subscribedEndpoints(trx, batch.account_id, type)) {
    deliveries.push({ id: newId("webhookDelivery"), endpointId: endpoint.id, url: endpoint.url });
  }
  if (deliveries.length === 0) return;
  const tally = (await tallyBatches(trx, [batch.id])).get(batch.id);
  if (!tally) return;
  const now = new Date();
  const event: BatchWebhookEvent = {
    id: newId("event", now.getTime()),
    type,
    timestamp: now.toISOString(),
    data: { batch: presentBatch({ baseUrl: ctx.webhooks.publicUrl }, batch, tally) },
  };
  await insertEvent(
    trx,
    {
      id: event.id,
      accountId: batch.account_id,
      type,
      jobId: null,
      batchId: batch.id,
      body: JSON.stringify(event),
    },
    deliveries,
    currentTraceCarrier(),
  );
}
