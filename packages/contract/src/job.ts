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
import { JobErrorCode } from "./errors";
import { idSchema } from "./ids";
import { CancelAfter, JobPriority } from "./job-scheduling";
import { MediaType } from "./models";
import { IMAGE_SIZE_LIMITS, ImagePresetId } from "./presets";
import { ImageUrl, UploadId, UploadMimeType } from "./uploads";

export const JobId = idSchema("job", "The job's id.");
export const AssetId = idSchema("asset", "The asset's id.");
export const BatchId = idSchema("batch", "The batch's id.");

export const CustomId = StorableString.min(1)
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
  .describe("Seed for the generator: the same input and seed give the same bytes. Random when omitted.");

export const ModelId = StorableString.min(1)
  .max(100)
  .describe("Model id from GET /v1/models. Default for images: local-studio (offline).");

const JobWebhookEvents = z
  .array(z.enum(["job.completed", "job.failed", "job.canceled", "job.processing"]))
  .min(1)
  .max(4)
  .optional()
  .describe(
    "Which of the job's events its webhookUrl receives. Default: job.completed, job.failed and job.canceled.",
  );

/** An image a job starts from: an upload's id, or a URL the engine fetches once at submission and keeps as an upload. */
export const ImageSource = z
  .union([UploadId, ImageUrl])
  .describe(
    'An image to start from: an upload\'s id ("upl_…", from POST /v1/uploads) or an https URL of a PNG, JPEG or WebP image, fetched once at submission.',
  );
export type ImageSource = z.infer<typeof ImageSource>;

export const InputImageMode = z
  .enum(["edit", "variation", "reference"])
  .describe(
    "What the input images are for. edit: change the image as the prompt says (a mask, where given, marks what may change). variation: new takes on the image. reference: draw the prompt with the images as its subject or style (local-studio places a product photo on its studio sweep, or uses the image as a card's background). Default edit.",
  );
export type InputImageMode = z.infer<typeof InputImageMode>;

export const ImageAspectRatio = z
  .enum(["1:1", "4:3", "3:4", "16:9", "9:16", "21:9"])
  .describe(
    "Frame shape instead of width and height: 1:1 (1024×1024), 4:3 (1152×864), 3:4 (864×1152), 16:9 (1280×720), 9:16 (720×1280) or 21:9 (1344×576).",
  );
export type ImageAspectRatio = z.infer<typeof ImageAspectRatio>;

export const IMAGE_ASPECT_SIZES: Record<ImageAspectRatio, { width: number; height: number }> = {
  "1:1": { width: 1024, height: 1024 },
  "4:3": { width: 1152, height: 864 },
  "3:4": { width: 864, height: 1152 },
  "16:9": { width: 1280, height: 720 },
  "9:16": { width: 720, height: 1280 },
  "21:9": { width: 1344, height: 576 },
};

/**
 * What an image request may not combine, the schema being a plain object (batch items extend it): each as a
 * zod-like issue, for the 400 the services answer.
 */
export function imageRequestConflicts(request: {
  aspectRatio?: string;
  width?: number;
  height?: number;
  inputImages?: unknown[];
  mode?: string;
  mask?: string;
}): { path: string; message: string }[] {
  const conflicts: { path: string; message: string }[] = [];
  if (request.aspectRatio && (request.width !== undefined || request.height !== undefined))
    conflicts.push({ path: "aspectRatio", message: "Give aspectRatio or width and height, not both." });
  if (!request.inputImages && (request.mode || request.mask))
    conflicts.push({ path: request.mode ? "mode" : "mask", message: "mode and mask need inputImages." });
  if (request.mask && (request.mode ?? "edit") !== "edit")
    conflicts.push({ path: "mask", message: "A mask is for mode edit only." });
  return conflicts;
}

/** The most images one job makes; each is billed. */
export const MAX_IMAGES_PER_JOB = 4;
/** The most input images one job takes. */
export const MAX_INPUT_IMAGES = 4;

export const ImageJobRequest = z
  .strictObject({
    type: z.literal("image").describe("Make an image."),
    prompt: StorableString.trim()
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
    aspectRatio: ImageAspectRatio.optional(),
    n: z
      .number()
      .int()
      .min(1)
      .max(MAX_IMAGES_PER_JOB)
      .optional()
      .describe(
        `How many images the job makes, 1 to ${MAX_IMAGES_PER_JOB}, each from the next seed (seed, seed+1, …): one job, n main assets, cost × n. Default 1.`,
      ),
    negativePrompt: StorableString.trim()
      .min(1)
      .max(2000)
      .optional()
      .describe(
        "What the image must not show, for models that take one (see GET /v1/models). 1 to 2000 characters.",
      ),
    inputImages: z
      .array(ImageSource)
      .min(1)
      .max(MAX_INPUT_IMAGES)
      .optional()
      .describe(
        `Images to start from, 1 to ${MAX_INPUT_IMAGES} (uploads or https URLs); what they are for is \`mode\`. Models that cannot take them answer 422 unsupported_input.`,
      ),
    mode: InputImageMode.optional(),
    mask: ImageSource.optional().describe(
      "For mode edit: a PNG the size of the first input image whose transparent pixels mark what may change.",
    ),
    format: ImageFormat.optional(),
    seed: Seed.optional(),
    webhookUrl: WebhookUrl.optional(),
    webhookEvents: JobWebhookEvents,
    metadata: Metadata.optional(),
    priority: JobPriority.optional(),
    cancelAfter: CancelAfter.optional(),
  })
  .describe("An image job: from a prompt alone, or from input images (edit, variation, reference).");
export type ImageJobRequest = z.infer<typeof ImageJobRequest>;

export const AspectRatio = z
  .enum(["16:9", "9:16", "1:1"])
  .describe("Frame shape: 16:9 (1280×720), 9:16 (720×1280) or 1:1 (1080×1080). Default 16:9.");
export type AspectRatio = z.infer<typeof AspectRatio>;

export const VIDEO_FRAME_SIZES: Record<AspectRatio, { width: number; height: number }> = {
  "16:9": { width: 1280, height: 720 },
  "9:16": { width: 720, height: 1280 },
  "1:1": { width: 1080, height: 1080 },
};

/** The longest speech one job makes, in characters; a longer text is refused with this limit in the message. */
export const MAX_SPEECH_CHARACTERS = 5000;
/** The longest voiceover script of a clip: about what 15 seconds can hold. */
export const MAX_VOICEOVER_CHARACTERS = 400;

const Voice = StorableString.min(1)
  .max(100)
  .describe("The voice, from the model's voices in GET /v1/models. Default: the model's first.");

export const VideoJobRequest = z
  .strictObject({
    type: z.literal("video").describe("Make a short video clip."),
    prompt: StorableString.trim()
      .min(1, { message: "The prompt must not be empty." })
      .max(4000)
      .describe("What the clip shows; its key image is drawn from it. 1 to 4000 characters."),
    model: ModelId.optional(),
    durationSeconds: z
      .number()
      .int()
      .min(1)
      .max(15)
      .optional()
      .describe("Length in seconds, 1 to 15. Default 5."),
    aspectRatio: AspectRatio.optional(),
    inputImage: ImageSource.optional().describe(
      "A still to animate (image-to-video) instead of a key image drawn from the prompt: an upload's id or an https URL. Cropped to the clip's frame.",
    ),
    voiceover: z
      .strictObject({
        script: StorableString.trim()
          .min(1, { message: "The voiceover script must not be empty." })
          .max(MAX_VOICEOVER_CHARACTERS, {
            message: `A voiceover script holds at most ${MAX_VOICEOVER_CHARACTERS} characters.`,
          })
          .describe(
            `What the narrator says, also shown as captions. At most ${MAX_VOICEOVER_CHARACTERS} characters.`,
          ),
        voice: Voice.optional(),
      })
      .optional()
      .describe("A narration track synthesized from a script; without it the clip has a silent audio track."),
    format: z.enum(["mp4"]).optional().describe("Container: mp4 (H.264 video, AAC audio). Default mp4."),
    seed: Seed.optional(),
    webhookUrl: WebhookUrl.optional(),
    webhookEvents: JobWebhookEvents,
    metadata: Metadata.optional(),
    priority: JobPriority.optional(),
    cancelAfter: CancelAfter.optional(),
  })
  .describe(
    "A video job: a short clip with camera motion, captions and an optional voiceover, plus a poster image.",
  );
export type VideoJobRequest = z.infer<typeof VideoJobRequest>;

export const AudioPresetId = z
  .enum(["speech", "voiceover"])
  .describe(
    "speech: natural conversational pace. voiceover: narration, with a steady pace and clear pauses at sentence ends. Default speech.",
  );
export type AudioPresetId = z.infer<typeof AudioPresetId>;

export const AudioFormat = z.enum(["wav", "mp3", "opus", "aac"]).describe("Audio file format. Default mp3.");
export type AudioFormat = z.infer<typeof AudioFormat>;

export const AudioJobRequest = z
  .strictObject({
    type: z.literal("audio").describe("Make speech."),
    prompt: StorableString.trim()
      .min(1, { message: "The text to speak must not be empty." })
      .max(MAX_SPEECH_CHARACTERS, {
        message: `One job speaks at most ${MAX_SPEECH_CHARACTERS} characters: split longer text into several jobs (a batch).`,
      })
      .describe(`The text to speak, 1 to ${MAX_SPEECH_CHARACTERS} characters.`),
    model: ModelId.optional(),
    preset: AudioPresetId.optional(),
    voice: Voice.optional(),
    speed: z
      .number()
      .min(0.5)
      .max(2)
      .optional()
      .describe(
        "Speaking rate, 0.5 to 2 (1 is normal). Default 1. Some models take a narrower range (elevenlabs: 0.7 to 1.2; see GET /v1/models); a job outside it is refused.",
      ),
    pitch: z
      .number()
      .min(0.5)
      .max(2)
      .optional()
      .describe("Voice pitch, 0.5 to 2 (1 is the voice's own). Default 1. Local voices only."),
    format: AudioFormat.optional(),
    seed: Seed.optional(),
    webhookUrl: WebhookUrl.optional(),
    webhookEvents: JobWebhookEvents,
    metadata: Metadata.optional(),
    priority: JobPriority.optional(),
    cancelAfter: CancelAfter.optional(),
  })
  .describe(
    "A speech job: the audio file, plus SRT and WebVTT captions with word timings where the model gives them.",
  );
export type AudioJobRequest = z.infer<typeof AudioJobRequest>;

/** Every job request, told apart by `type`. The services parse with this. */
export const JobRequest = z
  .discriminatedUnion("type", [ImageJobRequest, VideoJobRequest, AudioJobRequest])
  .describe("A job request: an image, a video or an audio job, by its type.")
  .meta({
    examples: [
      { type: "image", prompt: "Shipping faster with smaller pull requests", preset: "blog_thumbnail" },
    ],
  });
export type JobRequest = z.infer<typeof JobRequest>;

const { $schema: _jobRequestSchema, ...jobRequestJsonSchema } = z.toJSONSchema(JobRequest, {
  io: "input",
  unrepresentable: "any",
});

// trpc-to-openapi takes only object inputs, so the transport accepts an object with a type and hands it to the
// service, which parses it with JobRequest (and answers 400 invalid_request with every issue). The OpenAPI
// document shows JobRequest itself (zod-openapi `override`).
export const CreateJobRequest = z
  .looseObject({ type: MediaType })
  .meta({ override: jobRequestJsonSchema as never })
  .describe("A job request: an image, a video or an audio job, by its type.");
/** What the transport hands over: a JobRequest once the service has parsed it. */
export type CreateJobRequest = z.infer<typeof CreateJobRequest>;

/** An input image as a job keeps it: the upload it was, or became when fetched from its URL. */
export const InputImageRef = z
  .object({
    uploadId: UploadId,
    width: z.number().int().describe("Width in pixels."),
    height: z.number().int().describe("Height in pixels."),
    mimeType: UploadMimeType,
  })
  .describe("An input image, kept as an upload.");
export type InputImageRef = z.infer<typeof InputImageRef>;

/** The input a job runs with: the request with every default resolved, so the same input reproduces the bytes. */
export const ImageJobInput = z
  .object({
    prompt: z.string().describe("What to draw."),
    preset: ImagePresetId.nullable(),
    width: z.number().int().describe("Width in pixels."),
    height: z.number().int().describe("Height in pixels."),
    format: ImageFormat,
    seed: Seed,
    n: z.number().int().optional().describe("How many images; 1 when absent."),
    negativePrompt: z.string().optional().describe("What the image must not show."),
    inputImages: z.array(InputImageRef).optional().describe("The images it starts from."),
    mode: InputImageMode.optional(),
    mask: InputImageRef.optional().describe("The edit's mask."),
  })
  .describe("The resolved input of an image job.");
export type ImageJobInput = z.infer<typeof ImageJobInput>;

export const VideoJobInput = z
  .object({
    prompt: z.string().describe("What the clip shows."),
    durationSeconds: z.number().int().describe("Length in seconds."),
    aspectRatio: AspectRatio,
    width: z.number().int().describe("Width in pixels."),
    height: z.number().int().describe("Height in pixels."),
    fps: z.number().int().describe("Frames per second."),
    voiceover: z
      .object({
        script: z.string().describe("What the narrator says."),
        voice: z.string().describe("The voice."),
      })
      .nullable()
      .describe("The narration, if any."),
    format: z.enum(["mp4"]).describe("Container."),
    seed: Seed,
    inputImage: InputImageRef.optional().describe("The still it animates."),
  })
  .describe("The resolved input of a video job.");
export type VideoJobInput = z.infer<typeof VideoJobInput>;

export const AudioJobInput = z
  .object({
    prompt: z.string().describe("The text to speak."),
    preset: AudioPresetId,
    voice: z.string().describe("The voice."),
    speed: z.number().describe("Speaking rate."),
    pitch: z.number().describe("Voice pitch."),
    format: AudioFormat,
    seed: Seed,
  })
  .describe("The resolved input of an audio job.");
export type AudioJobInput = z.infer<typeof AudioJobInput>;

export const JobInput = z
  .union([ImageJobInput, VideoJobInput, AudioJobInput])
  .describe(
    "The input the job runs with: the request with every default resolved (the job's type says which).",
  );
export type JobInput = z.infer<typeof JobInput>;

/** A resolved input with the type it belongs to, as generators and cost rules take it. */
export type TypedJobInput =
  | { type: "image"; input: ImageJobInput }
  | { type: "video"; input: VideoJobInput }
  | { type: "audio"; input: AudioJobInput };

export const AssetRole = z
  .enum(["main", "poster", "captions"])
  .describe("main: the job's output. poster: a still of a video. captions: SRT or WebVTT of the speech.");
export type AssetRole = z.infer<typeof AssetRole>;

export const Asset = z
  .object({
    assetId: AssetId,
    url: z
      .string()
      .describe("Absolute, signed download URL; works without the API key (put it in an <img> or fetch it)."),
    mimeType: z.string().describe("The file's media type, such as image/png."),
    bytes: z.number().int().describe("Size in bytes."),
    sha256: z.string().describe("Hex SHA-256 of the file's bytes."),
    role: AssetRole,
    width: z.number().int().optional().describe("Width in pixels, for images and video."),
    height: z.number().int().optional().describe("Height in pixels, for images and video."),
    durationMs: z.number().int().optional().describe("Duration in milliseconds, for audio and video."),
    expiresAt: IsoDateTime.nullable().describe(
      "When the engine deletes the file under its retention setting (MME_ASSET_RETENTION_DAYS after the asset was made); from then on its URL answers 410 asset_expired. null when the engine keeps files until they are deleted by hand.",
    ),
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
    progress: z
      .number()
      .min(0)
      .max(1)
      .describe("How far the job has got, 0 to 1, as its generator reports it; 1 once completed."),
    input: JobInput,
    createdAt: IsoDateTime.describe("When the job was accepted."),
    startedAt: IsoDateTime.nullable().describe("When a worker first started it."),
    completedAt: IsoDateTime.nullable().describe("When it reached a final status."),
    attempts: z
      .number()
      .int()
      .describe("How many attempts it has used; a run handed back when its worker shut down does not count."),
    cost: z
      .object({ credits: z.number().int().describe("Credits the job costs.") })
      .describe("What the job costs."),
    result: z
      .object({ assets: z.array(Asset) })
      .nullable()
      .describe("The assets, once the job is completed; null before."),
    error: JobError.nullable().describe("Why the job failed, when it failed; null otherwise."),
    servedBy: z
      .object({
        model: z.string().describe("The model that made the assets (a fallback's, when the first was down)."),
        provider: z.string().describe("Who ran it: local, or the provider's name."),
      })
      .nullable()
      .describe("Who made the assets, once completed; null before."),
    webhookUrl: z.string().max(2048).nullable().describe("Where the job's events are sent, if anywhere."),
    metadata: StoredMetadata,
    batchId: BatchId.nullable().describe("The batch the job belongs to; null for a job submitted alone."),
    customId: CustomId.nullable().describe("The customId its batch item carried; null when none."),
  })
  .describe("A job and, once it has ended, its outcome.");
export type Job = z.infer<typeof Job>;

/** A job whose type says which input it carries; narrow a Job with isImageJob, isVideoJob or isAudioJob. */
export type ImageJob = Job & { type: "image"; input: ImageJobInput };
export type VideoJob = Job & { type: "video"; input: VideoJobInput };
export type AudioJob = Job & { type: "audio"; input: AudioJobInput };
export const isImageJob = (job: Job): job is ImageJob => job.type === "image";
export const isVideoJob = (job: Job): job is VideoJob => job.type === "video";
export const isAudioJob = (job: Job): job is AudioJob => job.type === "audio";

export const GetJobRequest = z.object({ jobId: JobId });
export type GetJobRequest = z.infer<typeof GetJobRequest>;

export const CancelJobRequest = z.object({ jobId: JobId });
export type CancelJobRequest = z.infer<typeof CancelJobRequest>;

export const ListJobsRequest = z
  .object({
    status: JobStatus.optional().describe("Only jobs in this status."),
    type: MediaType.optional().describe("Only jobs of this media type."),
    model: StorableString.max(100).optional().describe("Only jobs for this model."),
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
    nextCursor: NextCursor,
  })
  .describe("A page of jobs.");
export type JobList = z.infer<typeof JobList>;

export const JobEstimate = z
  .object({
    model: z.string().describe("The model the job would run on."),
    credits: z.number().int().describe("Credits the job would cost."),
    input: JobInput,
    available: z.boolean().describe("Whether the model can run here now."),
  })
  .describe("What a job would cost, without submitting it.");
export type JobEstimate = z.infer<typeof JobEstimate>;
