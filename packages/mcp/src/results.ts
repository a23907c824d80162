import { AppError, type Job } from "@mcpmediaengine/contract";
import { isConnectionError } from "@mcpmediaengine/engine";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import sharp from "sharp";
import type { MediaBackend } from "./backend";

/** Speech up to this size is also sent inline (about 15 s of MP3), so a model can hear it without a download. */
const INLINE_AUDIO_BYTES = 192 * 1024;

/** Longest side of the inline preview: enough for a model to see its work, small enough to keep calls light. */
const PREVIEW_SIDE = 256;

export function assetUri(assetId: string): string {
  return `asset://${assetId}`;
}

export function jobUri(jobId: string): string {
  return `job://${jobId}`;
}

/** What to do next, for the model reading the result. */
function nextStep(job: Job): string {
  switch (job.status) {
    case "queued":
    case "processing":
      return `Call wait_for_job with jobId ${job.jobId} to wait for it (or get_job_status to look once).`;
    case "completed":
      return "Each asset is linked below as a resource (read it with resources/read) and at its signed url.";
    case "failed":
      return `It failed: ${job.error?.code}: ${job.error?.message}`;
    case "canceled":
      return "It was canceled.";
  }
}

/**
 * A job as a tool result: the job as structured content, a line of text saying where it stands and what to do
 * next, and once it has completed a resource link to each asset with a small inline preview of the first image
 * (never the full file).
 */
export async function jobResult(
  job: Job,
  backend: MediaBackend,
  log?: (message: string) => void,
): Promise<CallToolResult> {
  const content: CallToolResult["content"] = [
    { type: "text", text: `Job ${job.jobId} (${job.type}, ${job.model}) is ${job.status}. ${nextStep(job)}` },
  ];
  for (const asset of job.result?.assets ?? []) {
    content.push({
      type: "resource_link",
      uri: assetUri(asset.assetId),
      name: `${asset.assetId}${extensionOf(asset.mimeType)}`,
      mimeType: asset.mimeType,
      description: `The ${asset.mimeType} this job made (${asset.bytes} bytes): ${asset.url}`,
    });
  }
  // An image job's picture, or a clip's poster, as a small preview; speech inline only when it is short.
  // Previews are a courtesy: if one cannot be made, the job and its links still go back.
  const still = job.result?.assets.find((a) => a.mimeType.startsWith("image/"));
  if (still) {
    const preview = await imagePreview(backend, still.assetId).catch((error: unknown) => {
      log?.(`no preview for ${still.assetId}: ${String(error)}`);
      return undefined;
    });
    if (preview) content.push({ type: "image", data: preview.toString("base64"), mimeType: "image/webp" });
  }
  const audio = job.result?.assets.find((a) => a.role === "main" && a.mimeType.startsWith("audio/"));
  if (audio && audio.bytes <= INLINE_AUDIO_BYTES) {
    const file = await backend.readAsset(audio.assetId).catch(() => undefined);
    if (file) content.push({ type: "audio", data: file.data.toString("base64"), mimeType: audio.mimeType });
  }
  return { content, structuredContent: job as unknown as Record<string, unknown> };
}

// Previews of recent assets, which never change: a model polling a job gets the same preview on every call.
// Only ids taken from a job the caller was allowed to read ever reach this cache.
const previews = new Map<string, Buffer>();
const PREVIEWS_KEPT = 256;

async function imagePreview(backend: MediaBackend, assetId: string): Promise<Buffer> {
  const cached = previews.get(assetId);
  if (cached) return cached;
  const { data } = await backend.readAsset(assetId);
  const preview = await sharp(data)
    .resize(PREVIEW_SIDE, PREVIEW_SIDE, { fit: "inside", withoutEnlargement: true })
    .webp({ quality: 70 })
    .toBuffer();
  if (previews.size >= PREVIEWS_KEPT) previews.delete(previews.keys().next().value!);
  previews.set(assetId, preview);
  return preview;
}

/** Any value as a tool result: the value as structured content and as JSON text. */
export function valueResult(value: object, summary: string): CallToolResult {
  return {
    content: [{ type: "text", text: `${summary}\n${JSON.stringify(value)}` }],
    structuredContent: value as Record<string, unknown>,
  };
}

/**
 * A failure as a tool result the model can read and act on (`isError`), never a protocol error: the contract's
 * error code, message and details. A lost database is `service_unavailable` with `retryAfterSeconds` (the
 * process logs the outage once). Anything unexpected is `internal_error`, its detail left to the log.
 */
export function errorResult(raw: unknown, log?: (message: string) => void): CallToolResult {
  const error = isConnectionError(raw)
    ? new AppError("service_unavailable", "The database is unavailable right now; try again in 5 s.", {
        retryAfterSeconds: 5,
      })
    : raw;
  const known = error instanceof AppError;
  if (!known) log?.(`unexpected error in a tool: ${String(error)}`);
  const body = known
    ? {
        code: error.code,
        message: error.message,
        ...(error.details !== undefined && { details: error.details }),
      }
    : { code: "internal_error", message: "Something went wrong on our side." };
  return { isError: true, content: [{ type: "text", text: JSON.stringify({ error: body }) }] };
}

// The file extension people and programs expect for each media type the engine makes; the subtype is not one
// (audio/mpeg is an .mp3, application/x-subrip an .srt).
const EXTENSIONS: Record<string, string> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
  "image/avif": "avif",
  "video/mp4": "mp4",
  "video/webm": "webm",
  "video/quicktime": "mov",
  "audio/mpeg": "mp3",
  "audio/wav": "wav",
  "audio/ogg": "opus",
  "audio/aac": "aac",
  "application/x-subrip": "srt",
  "text/vtt": "vtt",
  "application/json": "json",
};

/** ".mp3" for audio/mpeg; no extension for a type the table does not know, rather than a wrong one. */
export function extensionOf(mimeType: string): string {
  const extension = EXTENSIONS[mimeType.split(";")[0]!.trim().toLowerCase()];
  return extension ? `.${extension}` : "";
}
