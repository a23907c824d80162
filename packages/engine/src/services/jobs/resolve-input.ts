import { randomInt } from "node:crypto";
import {
  AppError,
  type AudioJobInput,
  type AudioJobRequest,
  findModel,
  IMAGE_ASPECT_SIZES,
  IMAGE_PRESETS,
  IMAGE_SIZE_LIMITS,
  type ImageJobInput,
  type ImageJobRequest,
  imageRequestConflicts,
  type JobRequest,
  LOCAL_VOICES,
  type TypedJobInput,
  VIDEO_FRAME_SIZES,
  type VideoJobInput,
  type VideoJobRequest,
} from "@mcpmediaengine/contract";
import type { ResolvedImages } from "./input-images";

/**
 * The input a job runs with: every default resolved (preset sizes, voice, format) and a seed drawn now when none
 * was given, so the stored input alone reproduces the same bytes.
 */
export function resolveJobInput(
  request: JobRequest,
  model: string,
  images: ResolvedImages = {},
): TypedJobInput {
  switch (request.type) {
    case "image":
      return { type: "image", input: resolveImageInput(request, images) };
    case "video":
      return { type: "video", input: resolveVideoInput(request, images) };
    case "audio":
      return { type: "audio", input: resolveAudioInput(request, model) };
  }
}

/**
 * An image request's input. The fields it may not combine (aspectRatio with a size, a mask without an edit) are a
 * 400 here; the images themselves were resolved before (input-images.ts), and an estimate has none.
 */
export function resolveImageInput(request: ImageJobRequest, images: ResolvedImages = {}): ImageJobInput {
  const conflicts = imageRequestConflicts(request);
  if (conflicts.length > 0)
    throw new AppError(
      "invalid_request",
      `Invalid request: ${conflicts.map((c) => `${c.path}: ${c.message}`).join("; ")}`,
      { issues: conflicts.map((c) => ({ ...c, code: "custom" })) },
    );
  const preset = request.preset ? IMAGE_PRESETS[request.preset] : undefined;
  const shape = request.aspectRatio ? IMAGE_ASPECT_SIZES[request.aspectRatio] : undefined;
  return {
    prompt: request.prompt,
    preset: request.preset ?? null,
    width: request.width ?? shape?.width ?? preset?.width ?? IMAGE_SIZE_LIMITS.defaultWidth,
    height: request.height ?? shape?.height ?? preset?.height ?? IMAGE_SIZE_LIMITS.defaultHeight,
    format: request.format ?? preset?.format ?? "png",
    seed: request.seed ?? randomSeed(),
    // Written only when asked, so a prompt-only job's input reads as it always did.
    ...(request.n !== undefined && request.n > 1 && { n: request.n }),
    ...(request.negativePrompt !== undefined && { negativePrompt: request.negativePrompt }),
    ...(request.inputImages && { mode: request.mode ?? "edit" }),
    ...(images.inputImages && { inputImages: images.inputImages }),
    ...(images.mask && { mask: images.mask }),
  };
}

function resolveVideoInput(request: VideoJobRequest, images: ResolvedImages): VideoJobInput {
  const aspectRatio = request.aspectRatio ?? "16:9";
  return {
    prompt: request.prompt,
    durationSeconds: request.durationSeconds ?? 5,
    aspectRatio,
    ...VIDEO_FRAME_SIZES[aspectRatio],
    fps: 30,
    voiceover: request.voiceover
      ? { script: request.voiceover.script, voice: request.voiceover.voice ?? LOCAL_VOICES[0] }
      : null,
    format: "mp4",
    seed: request.seed ?? randomSeed(),
    ...(images.inputImage && { inputImage: images.inputImage }),
  };
}

function resolveAudioInput(request: AudioJobRequest, model: string): AudioJobInput {
  const definition = findModel(model);
  // A retired voice name is stored as the voice that speaks for it.
  const voice = request.voice && (definition?.voiceAliases?.[request.voice] ?? request.voice);
  return {
    prompt: request.prompt,
    preset: request.preset ?? "speech",
    voice: voice ?? definition?.voices?.[0] ?? LOCAL_VOICES[0],
    speed: request.speed ?? 1,
    pitch: request.pitch ?? 1,
    format: request.format ?? "mp3",
    seed: request.seed ?? randomSeed(),
  };
}

function randomSeed(): number {
  return randomInt(0, 2 ** 31 - 1);
}
