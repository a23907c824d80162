import { randomInt } from "node:crypto";
import {
  type AudioJobInput,
  type AudioJobRequest,
  findModel,
  IMAGE_PRESETS,
  IMAGE_SIZE_LIMITS,
  type ImageJobInput,
  type ImageJobRequest,
  type JobRequest,
  LOCAL_VOICES,
  type TypedJobInput,
  VIDEO_FRAME_SIZES,
  type VideoJobInput,
  type VideoJobRequest,
} from "@mcpmediaengine/contract";

/**
 * The input a job runs with: every default resolved (preset sizes, voice, format) and a seed drawn now when none
 * was given, so the stored input alone reproduces the same bytes.
 */
export function resolveJobInput(request: JobRequest, model: string): TypedJobInput {
  switch (request.type) {
    case "image":
      return { type: "image", input: resolveImageInput(request) };
    case "video":
      return { type: "video", input: resolveVideoInput(request) };
    case "audio":
      return { type: "audio", input: resolveAudioInput(request, model) };
  }
}

export function resolveImageInput(request: ImageJobRequest): ImageJobInput {
  const preset = request.preset ? IMAGE_PRESETS[request.preset] : undefined;
  return {
    prompt: request.prompt,
    preset: request.preset ?? null,
    width: request.width ?? preset?.width ?? IMAGE_SIZE_LIMITS.defaultWidth,
    height: request.height ?? preset?.height ?? IMAGE_SIZE_LIMITS.defaultHeight,
    format: request.format ?? preset?.format ?? "png",
    seed: request.seed ?? randomSeed(),
  };
}

function resolveVideoInput(request: VideoJobRequest): VideoJobInput {
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
