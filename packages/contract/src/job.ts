import { z } from "zod";
import { Cursor, IsoDateTime, Metadata, PageLimit, WebhookUrl } from "./common";
import { JobErrorCode } from "./errors";
import { idSchema } from "./ids";
import { MediaType } from "./models";
import { IMAGE_SIZE_LIMITS, ImagePresetId } from "./presets";

export const JobId = idSchema("job", "The job's id.");
export const AssetId = idSchema("asset", "The asset's id.");
export const BatchId = idSchema("batch", "The batch's id.");

export const CustomId = z
  .string()
  .min(1)
  .max(100)
  .describe("Your own id for a batch item, returned with its job and in the batch's item errors.");

export const JobStatus = z
  .enum(["queued", "processing", "completed", "failed", "canceled"])
  .describe(
    "queued: accepted, waiting for a worker. processing: being generated. completed: assets ready. failed: gave up, see error. canceled: stopped at the caller's request.",
  );
export type JobStatus = z.infer<typeof JobStatus>;

/** A job in one of these states never changes again. */
export const TERMINAL_JOB_STATUSES: readonly JobStatus[] = ["completed", "failed", "canceled"];
export function isTerminalStatus(status: JobStatus): boolean {
  return TERMINAL_JOB_STATUSES.includes(status);
}

export const ImageFormat = z
  .enum(["png", "webp", "jpeg", "avif"])
  .describe("Image file format. Default png.");
export type ImageFormat = z.infer<typeof ImageFormat>;

const Dimension = z.number().int().min(IMAGE_SIZE_LIMITS.min).max(IMAGE_SIZE_LIMITS.max);

export const Seed = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1)
  .describe("Seed for the generator: the same input and seed give the same image. Random when omitted.");

export const ModelId = z
  .string()
  .min(1)
  .max(100)
  .describe("Model id from GET /v1/models. Default for images: local-studio (offline).");

export const ImageJobRequest = z
  .strictObject({
    type: z.literal("image").describe("Make an image."),
    prompt: z
      .string()
      .trim()
      .min(1, { message: "The prompt must not be empty." })
      .max(4000)
      .describe("What to draw. For blog_thumbnail it is also the typeset title. 1 to 4000 characters."),
    model: ModelId.optional(),
    preset: ImagePresetId.optional(),
    width: Dimension.optional().describe(
      `Width in pixels, ${IMAGE_SIZE_LIMITS.min} to ${IMAGE_SIZE_LIMITS.max}. Default: the preset's width, else ${IMAGE_SIZE_LIMITS.defaultWidth}.`,
    ),
    height: Dimension.optional().describe(
      `Height in pixels, ${IMAGE_SIZE_LIMITS.min} to ${IMAGE_SIZE_LIMITS.max}. Default: the preset's height, else ${IMAGE_SIZE_LIMITS.defaultHeight}.`,
    ),
    format: ImageFormat.optional(),
    seed: Seed.optional(),
    webhookUrl: WebhookUrl.optional(),
    webhookEvents: z
      .array(z.enum(["job.completed", "job.failed", "job.canceled", "job.processing"]))
      .min(1)
      .max(4)
      .optional()
      .describe(
        "Which of the job's events its webhookUrl receives. Default: job.completed, job.failed and job.canceled.",
      ),
    metadata: Metadata.optional(),
  })
  .describe("An image job.");
export type ImageJobRequest = z.infer<typeof ImageJobRequest>;

export const VideoJobRequest = z
  .strictObject({
    type: z.literal("video").describe("Make a short video clip."),
    prompt: z
      .string()
      .trim()
      .min(1, { message: "The prompt must not be empty." })
      .max(4000)
      .describe("What the clip shows. 1 to 4000 characters."),
    model: ModelId.optional(),
    durationSeconds: z
      .number()
      .int()
      .min(1)
      .max(10)
      .optional()
      .describe("Length in seconds, 1 to 10. Default 5."),
    width: Dimension.optional().describe("Width in pixels. Default 1280."),
    height: Dimension.optional().describe("Height in pixels. Default 720."),
    seed: Seed.optional(),
    webhookUrl: WebhookUrl.optional(),
    metadata: Metadata.optional(),
  })
  .describe("A video job (H.264). Accepted once a video engine runs here; until then 422 model_unavailable.");
export type VideoJobRequest = z.infer<typeof VideoJobRequest>;

export const AudioJobRequest = z
  .strictObject({
    type: z.literal("audio").describe("Make speech."),
    text: z
      .string()
      .trim()
      .min(1, { message: "The text must not be empty." })
      .max(5000)
      .describe("What to say. 1 to 5000 characters."),
    model: ModelId.optional(),
    voice: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .describe("The voice, from the model's voices. Default: its first."),
    webhookUrl: WebhookUrl.optional(),
    metadata: Metadata.optional(),
  })
  .describe("A speech job. Accepted once a speech engine runs here; until then 422 model_unavailable.");
export type AudioJobRequest = z.infer<typeof AudioJobRequest>;

// trpc-to-openapi takes only object inputs, so the request is one object keyed by `type`, not a union; video and
// audio fields join it with their engines.
export const CreateJobRequest = ImageJobRequest;
export type CreateJobRequest = z.infer<typeof CreateJobRequest>;

/** The input a job runs with: the request with every default resolved, so the same input reproduces the bytes. */
export const ImageJobInput = z
  .object({
    prompt: z.string().describe("What to draw."),
    preset: ImagePresetId.nullable(),
    width: z.number().int().describe("Width in pixels."),
    height: z.number().int().describe("Height in pixels."),
    format: ImageFormat,
    seed: Seed,
  })
  .describe("The resolved input of an image job.");
export type ImageJobInput = z.infer<typeof ImageJobInput>;

export const Asset = z
  .object({
    assetId: AssetId,
    url: z
      .string()
      .describe("Absolute, signed download URL; works without the API key (put it in an <img> or fetch it)."),
    mimeType: z.string().describe("The file's media type, such as image/png."),
    bytes: z.number().int().describe("Size in bytes."),
    sha256: z.string().describe("Hex SHA-256 of the file's bytes."),
    width: z.number().int().optional().describe("Width in pixels, for images and video."),
    height: z.number().int().optional().describe("Height in pixels, for images and video."),
    durationMs: z.number().int().optional().describe("Duration in milliseconds, for audio and video."),
  })
  .describe("A file a job made.");
export type Asset = z.infer<typeof Asset>;

export const JobError = z
  .object({ code: JobErrorCode, message: z.string().describe("What went wrong.") })
  .describe("Why the job failed.");
export type JobError = z.infer<typeof JobError>;

export const Job = z
  .object({
    jobId: JobId,
    type: MediaType,
    model: z.string().describe("The model that runs the job."),
    status: JobStatus,
    input: ImageJobInput,
    createdAt: IsoDateTime.describe("When the job was accepted."),
    startedAt: IsoDateTime.nullable().describe("When a worker first started it."),
    completedAt: IsoDateTime.nullable().describe("When it reached a final status."),
    attempts: z.number().int().describe("How many times a worker has started it."),
    cost: z
      .object({ credits: z.number().int().describe("Credits the job costs.") })
      .describe("What the job costs."),
    result: z
      .object({ assets: z.array(Asset) })
      .nullable()
      .describe("The assets, once the job is completed; null before."),
    error: JobError.nullable().describe("Why the job failed, when it failed; null otherwise."),
    webhookUrl: z.string().nullable().describe("Where the job's events are sent, if anywhere."),
    metadata: z.record(z.string(), z.unknown()).describe("The metadata given at submission."),
    batchId: BatchId.nullable().describe("The batch the job belongs to; null for a job submitted alone."),
    customId: CustomId.nullable().describe("The customId its batch item carried; null when none."),
  })
  .describe("A job and, once it has ended, its outcome.");
export type Job = z.infer<typeof Job>;

export const GetJobRequest = z.object({ jobId: JobId });
export type GetJobRequest = z.infer<typeof GetJobRequest>;

export const CancelJobRequest = z.object({ jobId: JobId });
export type CancelJobRequest = z.infer<typeof CancelJobRequest>;

export const ListJobsRequest = z
  .object({
    status: JobStatus.optional().describe("Only jobs in this status."),
    type: MediaType.optional().describe("Only jobs of this media type."),
    model: z.string().max(100).optional().describe("Only jobs for this model."),
    batchId: BatchId.optional().describe("Only jobs of this batch."),
    createdAfter: IsoDateTime.optional().describe("Only jobs created at or after this time (ISO 8601)."),
    createdBefore: IsoDateTime.optional().describe("Only jobs created before this time (ISO 8601)."),
    limit: PageLimit,
    cursor: Cursor.optional(),
  })
  .describe("Filters and paging for the job list, newest first.");
export type ListJobsRequest = z.infer<typeof ListJobsRequest>;

export const JobList = z
  .object({
    data: z.array(Job).describe("Jobs, newest first."),
    nextCursor: z.string().nullable().describe("Pass as cursor for the next page; null on the last page."),
  })
  .describe("A page of jobs.");
export type JobList = z.infer<typeof JobList>;

export const JobEstimate = z
  .object({
    model: z.string().describe("The model the job would run on."),
    credits: z.number().int().describe("Credits the job would cost."),
    input: ImageJobInput,
    available: z.boolean().describe("Whether the model can run here now."),
  })
  .describe("What a job would cost, without submitting it.");
export type JobEstimate = z.infer<typeof JobEstimate>;
