import { z } from "zod";
import {
  Cursor,
  IsoDateTime,
  Metadata,
  NextCursor,
  PageLimit,
  StorableString,
  StoredMetadata,
  WebhookUrl,
} from "./common";
import {
  AudioJobRequest,
  AudioPresetId,
  BatchId,
  CustomId,
  ImageJobRequest,
  Job,
  JobId,
  JobStatus,
  ModelId,
  Seed,
  VideoJobRequest,
} from "./job";
import { ImagePresetId } from "./presets";

/** The most jobs one batch may hold on any plan; a plan may allow fewer (PlanLimits.maxBatchSize). */
export const MAX_BATCH_SIZE = 500;

const withCustomId = { customId: CustomId.optional() };
export const BatchItem = z
  .discriminatedUnion("type", [
    ImageJobRequest.extend(withCustomId),
    VideoJobRequest.extend(withCustomId),
    AudioJobRequest.extend(withCustomId),
  ])
  .describe("One job of a batch: a job request as POST /v1/jobs takes it, plus an optional customId.");
export type BatchItem = z.infer<typeof BatchItem>;

// Items are checked one by one by the service, after the defaults are laid under them, so that a batch with bad
// items is refused with every bad index and its reason (schema or not) in one answer; the transport only sees
// objects. The document shows what an item may be before the defaults fill it in: any job request's fields, each
// optional (zod-openapi's `override`, typed only where zod-openapi is imported).
const JOB_REQUESTS = [ImageJobRequest, VideoJobRequest, AudioJobRequest] as const;
const documented = (schema: z.ZodType) => {
  const { $schema: _, ...json } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
  return json as never;
};
const BatchItemSlot = z.record(z.string(), z.unknown()).meta({
  override: documented(
    z
      .union(JOB_REQUESTS.map((r) => r.extend(withCustomId).partial()))
      .describe(
        "One job of a batch: a job request as POST /v1/jobs takes it, plus an optional customId. Fields the batch's defaults give may be left out; type and prompt are required once they are applied.",
      ),
  ),
});

// Any field of any job request; each item is checked whole once the defaults are under it.
export const BatchDefaults = z
  .record(z.string(), z.unknown())
  .meta({
    override: documented(
      z
        .union(JOB_REQUESTS.map((r) => r.partial()))
        .describe(
          "Fields every item gets unless it sets them itself, such as type, model, preset, format, voice or webhookUrl.",
        ),
    ),
  })
  .describe(
    "Fields every item gets unless it sets them itself, such as type, model, preset, format, voice or webhookUrl.",
  );
export type BatchDefaults = z.infer<typeof BatchDefaults>;

export const BatchMatrix = z
  .strictObject({
    prompts: z
      .array(StorableString)
      .min(1)
      .max(MAX_BATCH_SIZE)
      .describe("The prompts; each is combined with every preset, model and seed."),
    presets: z
      .array(z.union([ImagePresetId, AudioPresetId]).nullable())
      .min(1)
      .max(MAX_BATCH_SIZE)
      .optional()
      .describe("The presets to try (null: no preset); the defaults' preset when omitted."),
    models: z
      .array(ModelId)
      .min(1)
      .max(MAX_BATCH_SIZE)
      .optional()
      .describe("The models to try; the defaults' model when omitted."),
    seeds: z
      .array(Seed)
      .min(1)
      .max(MAX_BATCH_SIZE)
      .optional()
      .describe("The seeds to try; a random seed per job when omitted."),
  })
  .describe(
    "Variants for creative testing: every combination of prompt, preset, model and seed becomes a job, in that nesting order (prompts outermost, seeds innermost). The combinations count toward the batch's size.",
  );
export type BatchMatrix = z.infer<typeof BatchMatrix>;

export const CreateBatchRequest = z
  .strictObject({
    jobs: z
      .array(BatchItemSlot)
      .min(1)
      .optional()
      .describe(
        `The jobs, up to ${MAX_BATCH_SIZE}, each a job request (type and prompt required once the defaults are applied) with an optional customId; give either jobs or matrix.`,
      ),
    matrix: BatchMatrix.optional(),
    defaults: BatchDefaults.optional(),
    webhookUrl: WebhookUrl.optional().describe(
      "An http(s) URL that receives a signed batch.completed event when every job of the batch has ended.",
    ),
    metadata: Metadata.optional(),
  })
  .refine((r) => (r.jobs === undefined) !== (r.matrix === undefined), {
    message: "Give either jobs or matrix, not both.",
  })
  .describe(
    "A batch: many jobs accepted together, all or none, each tracked on its own. Credits for all of them are held at once.",
  )
  .meta({
    examples: [
      {
        defaults: { type: "image", preset: "social_post" },
        jobs: [
          { prompt: "spring sale, pastel", customId: "a" },
          { prompt: "spring sale, bold", customId: "b" },
        ],
      },
    ],
  });
export type CreateBatchRequest = z.infer<typeof CreateBatchRequest>;

export const BatchItemError = z
  .object({
    index: z.number().int().describe("The item's place in jobs (or in the matrix's expansion), from 0."),
    customId: CustomId.optional(),
    code: z
      .string()
      .describe("invalid_request, model_unavailable, invalid_webhook_url or unsupported_input."),
    message: z.string().describe("What is wrong with the item."),
  })
  .describe("Why one item of a refused batch is invalid.");
export type BatchItemError = z.infer<typeof BatchItemError>;

export const BatchStatus = z
  .enum(["processing", "completed", "canceled"])
  .describe(
    "processing: some jobs have not ended. completed: every job has ended (see counts for how). canceled: it was canceled and every job has ended.",
  );
export type BatchStatus = z.infer<typeof BatchStatus>;

const count = (what: string) => z.number().int().describe(what);

export const Batch = z
  .object({
    batchId: BatchId,
    status: BatchStatus,
    jobCount: count("How many jobs the batch holds."),
    counts: z
      .object({
        queued: count("Jobs waiting for a worker."),
        processing: count("Jobs being generated."),
        completed: count("Jobs completed."),
        failed: count("Jobs failed."),
        canceled: count("Jobs canceled."),
      })
      .describe("The batch's jobs by status."),
    progress: z.number().min(0).max(1).describe("The share of jobs that have ended, 0 to 1."),
    credits: z
      .object({
        held: count("Credits held by jobs that have not ended."),
        spent: count("Credits spent on completed jobs."),
      })
      .describe("What the batch costs so far; failed and canceled jobs cost nothing."),
    resultsUrl: z
      .string()
      .describe("Where the batch's jobs and their assets are listed (GET, with your key)."),
    webhookUrl: z.string().max(2048).nullable().describe("Where batch.completed is sent, if anywhere."),
    metadata: StoredMetadata,
    createdAt: IsoDateTime.describe("When the batch was accepted."),
    cancelRequestedAt: IsoDateTime.nullable().describe("When it was canceled; null if it was not."),
    completedAt: IsoDateTime.nullable().describe("When its last job ended; null before."),
  })
  .describe("A batch and the progress of its jobs.");
export type Batch = z.infer<typeof Batch>;

export const CreatedBatch = Batch.extend({
  jobIds: z.array(JobId).describe("The batch's jobs, in item order."),
}).describe("A batch, accepted: its jobs are queued.");
export type CreatedBatch = z.infer<typeof CreatedBatch>;

export const GetBatchRequest = z.object({ batchId: BatchId });
export type GetBatchRequest = z.infer<typeof GetBatchRequest>;

export const ListBatchesRequest = z
  .object({
    status: BatchStatus.optional().describe("Only batches in this status."),
    limit: PageLimit,
    cursor: Cursor.optional(),
  })
  .describe("Filters and paging for the batch list, newest first.");
export type ListBatchesRequest = z.infer<typeof ListBatchesRequest>;

export const BatchList = z
  .object({
    data: z.array(Batch).describe("Batches, newest first."),
    nextCursor: NextCursor,
  })
  .describe("A page of batches.");
export type BatchList = z.infer<typeof BatchList>;

export const ListBatchJobsRequest = z
  .object({
    batchId: BatchId,
    status: JobStatus.optional().describe("Only jobs in this status."),
    limit: PageLimit,
    cursor: Cursor.optional(),
  })
  .describe("Filters and paging for a batch's jobs, in item order.");
export type ListBatchJobsRequest = z.infer<typeof ListBatchJobsRequest>;

export const BatchJobList = z
  .object({
    data: z.array(Job).describe("The batch's jobs, in item order."),
    nextCursor: NextCursor,
  })
  .describe("A page of a batch's jobs.");
export type BatchJobList = z.infer<typeof BatchJobList>;

export const CancelBatchRequest = z.object({ batchId: BatchId });
export type CancelBatchRequest = z.infer<typeof CancelBatchRequest>;
