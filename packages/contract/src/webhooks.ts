import { z } from "zod";
import { Batch } from "./batch";
import { Cursor, IsoDateTime, NextCursor, PageLimit, StorableString, WebhookUrl } from "./common";
import { idSchema } from "./ids";
import { Job, JobId } from "./job";

export const WEBHOOK_EVENT_TYPES = [
  "job.completed",
  "job.failed",
  "job.canceled",
  "job.processing",
  "batch.completed",
] as const;
export const WebhookEventType = z
  .enum(WEBHOOK_EVENT_TYPES)
  .describe(
    "An event: job.completed, job.failed, job.canceled, job.processing (a worker started the job), batch.completed (every job of a batch has ended).",
  );
export type WebhookEventType = z.infer<typeof WebhookEventType>;

/** What a job's own webhookUrl receives when the job names no webhookEvents: the end of the job. */
export const DEFAULT_JOB_WEBHOOK_EVENTS: WebhookEventType[] = ["job.completed", "job.failed", "job.canceled"];

export const WebhookEventTypes = z
  .array(WebhookEventType)
  .min(1)
  .max(WEBHOOK_EVENT_TYPES.length)
  .describe("The events to send; every event when omitted.");

export const WebhookEventId = idSchema(
  "event",
  "The event's id; the webhook-id header of every delivery of it.",
);
export const WebhookEndpointId = idSchema("webhookEndpoint", "The endpoint's id.");
export const WebhookDeliveryId = idSchema("webhookDelivery", "The delivery's id.");
export const WebhookSecretValue = z
  .string()
  .describe("A Standard Webhooks signing secret (whsec_…): verify deliveries with it.");

export const JobWebhookEvent = z
  .object({
    id: WebhookEventId,
    type: z
      .enum(["job.completed", "job.failed", "job.canceled", "job.processing"])
      .describe("What happened to the job."),
    timestamp: IsoDateTime.describe("When the event happened."),
    data: z
      .object({ job: Job.describe("The job as GET /v1/jobs/{jobId} showed it when the event happened.") })
      .describe("What the event is about."),
  })
  .describe("A job's event.");
export type JobWebhookEvent = z.infer<typeof JobWebhookEvent>;

export const BatchWebhookEvent = z
  .object({
    id: WebhookEventId,
    type: z.literal("batch.completed").describe("Every job of the batch has ended."),
    timestamp: IsoDateTime.describe("When the event happened."),
    data: z
      .object({
        batch: Batch.describe(
          "The batch as GET /v1/batches/{batchId} showed it when its last job ended; resultsUrl lists the jobs.",
        ),
      })
      .describe("What the event is about."),
  })
  .describe("A batch's event.");
export type BatchWebhookEvent = z.infer<typeof BatchWebhookEvent>;

/** The body of every webhook POST (signed by the Standard Webhooks scheme). */
export const WebhookEvent = z.union([JobWebhookEvent, BatchWebhookEvent]).describe("A webhook event.");
export type WebhookEvent = z.infer<typeof WebhookEvent>;

export const WebhookSecret = z
  .object({
    secret: WebhookSecretValue,
    previousSecretExpiresAt: IsoDateTime.nullable().describe(
      "Until then deliveries are also signed with the secret this one replaced; null when there is none.",
    ),
  })
  .describe("The account's default signing secret, used for the deliveries to a job's own webhookUrl.");
export type WebhookSecret = z.infer<typeof WebhookSecret>;

export const WebhookEndpoint = z
  .object({
    endpointId: WebhookEndpointId,
    url: z.string().describe("Where the events are POSTed."),
    events: z.array(WebhookEventType).nullable().describe("The events it receives; null for every event."),
    description: z.string().describe("Your note about the endpoint."),
    enabled: z.boolean().describe("False when you disabled it or it failed for days (see disabledReason)."),
    disabledReason: z.string().nullable().describe("Why it is disabled; null while enabled."),
    failingSince: IsoDateTime.nullable().describe(
      "Since when every delivery has failed; null when the last one succeeded.",
    ),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
  })
  .describe("A URL of the account that receives every matching event of the account.");
export type WebhookEndpoint = z.infer<typeof WebhookEndpoint>;

export const WebhookEndpointWithSecret = WebhookEndpoint.extend({ secret: WebhookSecretValue }).describe(
  "An endpoint with its signing secret.",
);
export type WebhookEndpointWithSecret = z.infer<typeof WebhookEndpointWithSecret>;

export const CreateWebhookEndpointRequest = z
  .strictObject({
    url: WebhookUrl.describe("An http(s) URL that receives the events."),
    events: WebhookEventTypes.optional(),
    description: StorableString.max(500).optional().describe("A note for yourself, up to 500 characters."),
  })
  .describe("A new endpoint.")
  .meta({ examples: [{ url: "https://example.com/hooks/media", events: ["job.completed", "job.failed"] }] });
export type CreateWebhookEndpointRequest = z.infer<typeof CreateWebhookEndpointRequest>;

export const UpdateWebhookEndpointRequest = z
  .strictObject({
    endpointId: WebhookEndpointId,
    url: WebhookUrl.optional().describe("A new URL."),
    events: WebhookEventTypes.nullable().optional().describe("New events to send; null for every event."),
    description: StorableString.max(500).optional().describe("A new note."),
    enabled: z.boolean().optional().describe("false disables the endpoint; true enables it again."),
  })
  .describe("Changes to an endpoint; fields left out stay as they are.")
  .meta({ examples: [{ enabled: false }] });
export type UpdateWebhookEndpointRequest = z.infer<typeof UpdateWebhookEndpointRequest>;

export const WebhookEndpointRequest = z.object({ endpointId: WebhookEndpointId });
export type WebhookEndpointRequest = z.infer<typeof WebhookEndpointRequest>;

export const WebhookEndpointList = z
  .object({ data: z.array(WebhookEndpoint).describe("The account's endpoints, newest first.") })
  .describe("The account's endpoints.");
export type WebhookEndpointList = z.infer<typeof WebhookEndpointList>;

export const WebhookDeliveryStatus = z
  .enum(["pending", "succeeded", "failed"])
  .describe(
    "pending: still being tried; succeeded: a 2xx came back; failed: retries are exhausted or stopped.",
  );
export type WebhookDeliveryStatus = z.infer<typeof WebhookDeliveryStatus>;

export const WebhookAttempt = z
  .object({
    attempt: z.number().int().describe("1 for the first attempt."),
    attemptedAt: IsoDateTime,
    statusCode: z.number().int().nullable().describe("The receiver's HTTP status; null when none came back."),
    latencyMs: z.number().int().describe("Milliseconds until the answer, or until giving up."),
    error: z
      .string()
      .nullable()
      .describe("Why no answer came (timeout, refused address, …); null if one did."),
    responseBody: z.string().nullable().describe("The first 1 kB of the receiver's answer."),
  })
  .describe("One attempt at a delivery.");
export type WebhookAttempt = z.infer<typeof WebhookAttempt>;

export const WebhookDelivery = z
  .object({
    deliveryId: WebhookDeliveryId,
    eventId: WebhookEventId,
    eventType: WebhookEventType,
    jobId: JobId.nullable().describe("The job the event is about; null for a batch's event."),
    endpointId: WebhookEndpointId.nullable().describe(
      "The endpoint; null for a job's or a batch's own webhookUrl.",
    ),
    url: z.string().describe("Where it is sent."),
    status: WebhookDeliveryStatus,
    nextAttemptAt: IsoDateTime.nullable().describe("When it is tried next, while pending."),
    createdAt: IsoDateTime,
    attempts: z.array(WebhookAttempt).describe("Every attempt so far, first to last."),
  })
  .describe("An event's delivery to one URL, with its attempts.");
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

export const ListWebhookDeliveriesRequest = z
  .object({
    jobId: JobId.optional().describe("Only deliveries of this job's events."),
    endpointId: WebhookEndpointId.optional().describe("Only deliveries to this endpoint."),
    status: WebhookDeliveryStatus.optional().describe("Only deliveries in this status."),
    limit: PageLimit,
    cursor: Cursor.optional(),
  })
  .describe("Filters and paging for the delivery log, newest first.");
export type ListWebhookDeliveriesRequest = z.infer<typeof ListWebhookDeliveriesRequest>;

export const WebhookDeliveryList = z
  .object({
    data: z.array(WebhookDelivery).describe("Deliveries, newest first."),
    nextCursor: NextCursor,
  })
  .describe("A page of the delivery log.");
export type WebhookDeliveryList = z.infer<typeof WebhookDeliveryList>;

export const WebhookDeliveryRequest = z.object({ deliveryId: WebhookDeliveryId });
export type WebhookDeliveryRequest = z.infer<typeof WebhookDeliveryRequest>;

export const ReplayWebhookEndpointRequest = z
  .strictObject({
    endpointId: WebhookEndpointId,
    since: IsoDateTime.describe("Replay failed deliveries created at or after this time."),
    until: IsoDateTime.optional().describe("… and before this time; now when omitted."),
  })
  .describe("Which failed deliveries of an endpoint to send again.")
  .meta({ examples: [{ since: "2026-01-01T00:00:00Z" }] });
export type ReplayWebhookEndpointRequest = z.infer<typeof ReplayWebhookEndpointRequest>;

export const ReplayResult = z
  .object({ replayed: z.number().int().describe("How many failed deliveries were queued again.") })
  .describe("The outcome of a replay.");
export type ReplayResult = z.infer<typeof ReplayResult>;
