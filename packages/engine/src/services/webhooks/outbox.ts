import {
  DEFAULT_JOB_WEBHOOK_EVENTS,
  newId,
  type WebhookEvent,
  type WebhookEventType,
} from "@mcpmediaengine/contract";
import type { Database, JobRow } from "@mcpmediaengine/db";
import type { Kysely } from "kysely";
import type { EngineContext } from "../../context";
import { assetsOfJobs } from "../../repositories/assets";
import { insertEvent, type NewDelivery, subscribedEndpoints } from "../../repositories/webhooks";
import { presentJob } from "../jobs/present";

/**
 * Records a job's event for every URL that wants it: the job's own webhookUrl (for the events it asked for, by
 * default its end) and each enabled endpoint of the account subscribed to the type. Call it inside the
 * transaction that changes the job, so the event exists exactly when the change does; a worker task sends it.
 * The body is fixed here, as the job looked at this moment, and every attempt sends the same bytes.
 */
export async function recordJobEvent(
  trx: Kysely<Database>,
  ctx: EngineContext,
  row: JobRow,
  type: WebhookEventType,
): Promise<void> {
  const deliveries: NewDelivery[] = [];
  const jobWants = (row.webhook_events ?? DEFAULT_JOB_WEBHOOK_EVENTS).includes(type);
  if (row.webhook_url && jobWants) {
    deliveries.push({ id: newId("webhookDelivery"), endpointId: null, url: row.webhook_url });
  }
  for (const endpoint of await subscribedEndpoints(trx, row.account_id, type)) {
    deliveries.push({ id: newId("webhookDelivery"), endpointId: endpoint.id, url: endpoint.url });
  }
  if (deliveries.length === 0) return;
  const assets = row.status === "completed" ? ((await assetsOfJobs(trx, [row.id])).get(row.id) ?? []) : [];
  const now = new Date();
  const event: WebhookEvent = {
    id: newId("event", now.getTime()),
    type,
    timestamp: now.toISOString(),
    data: { job: presentJob(ctx, { baseUrl: ctx.webhooks.publicUrl }, row, assets) },
  };
  await insertEvent(
    trx,
    { id: event.id, accountId: row.account_id, type, jobId: row.id, body: JSON.stringify(event) },
    deliveries,
  );
}
