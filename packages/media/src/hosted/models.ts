import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type AudioJobInput,
  findModel,
  type ImageJobInput,
  type VideoJobInput,
} from "@mcpmediaengine/contract";
import sharp from "sharp";
import { AUDIO_MIME_TYPES } from "../audio/encode-audio";
import { BITEXACT, runFfmpeg, writeChunk } from "../ffmpeg";
import {
  type GenerateContext,
  type GeneratedFile,
  type Generator,
  type InputOf,
  PermanentGenerationError,
} from "../generator";
import { encodeImage, MIME_TYPES } from "../image/encode";
import type { InputImage } from "../inputs/input-image";
import {
  createAutomatic1111,
  createElevenLabs,
  createFalQueue,
  createOpenAiImages,
  createOpenAiSpeech,
  createStability,
  flux2TurboSize,
  seedreamV4Size,
} from "../providers";
import { clipFiles } from "../video/clip-files";
import { imageToImageStrength } from "./image-to-image";
import { Semaphore, throttled } from "./limits";
import type { HostedProvider, HostedSettings } from "./settings";

/** fal's endpoint for each model it serves here. */
const FAL_ENDPOINTS = {
  "flux-2-turbo": "fal-ai/flux-2/turbo",
  seedance: "fal-ai/bytedance/seedream/v4/text-to-image",
  // Image-to-image: the same models' edit endpoints, which take the input images as image_urls.
  "flux-2-turbo/edit": "fal-ai/flux-2/turbo/edit",
  "seedance/edit": "fal-ai/bytedance/seedream/v4/edit",
  "seedance-video/image": "fal-ai/bytedance/seedance/v1/pro/fast/image-to-video",
  // Seedance 1.0 Lite was retired in August 2026; Pro Fast takes the same input and 2 to 12 s.
  "seedance-video": "fal-ai/bytedance/seedance/v1/pro/fast/text-to-video",
} as const;

/** Seedance makes whole seconds from 2 to 12: a 1 s job is made at 2 s and cut, so fal bills what was asked. */
const seedanceDuration = (seconds: number) => String(Math.min(12, Math.max(2, seconds)));

const ELEVENLABS_SPEED = findModel("elevenlabs")?.limits?.speed ?? { min: 0.7, max: 1.2 };

/** The size each fal image model is asked for: one it accepts, with the job's aspect ratio. */
const FAL_IMAGE_SIZES = { "flux-2-turbo": flux2TurboSize, seedance: seedreamV4Size } as const;

export interface HostedModels {
  generators: Generator[];
  /** Why each hosted model is off here: the setting that would turn it on. */
  unavailable: Record<string, string>;
}

/**
 * The catalog's hosted models as generators, for the providers that have credentials in `settings`. Each is
 * held to its provider's concurrency, and every file a provider returns is copied into our own bytes (images
 * re-encoded at the asked size and format, clips re-encoded to H.264 + AAC at the asked length), so no provider
 * URL that expires ever reaches a user.
 */
export function hostedModels(settings: HostedSettings): HostedModels {
  const generators: Generator[] = [];
  const unavailable: Record<string, string> = {};
  const semaphores = new Map<HostedProvider, Semaphore>();
  const limit = (provider: HostedProvider) => {
    let semaphore = semaphores.get(provider);
    if (!semaphore) {
      semaphore = new Semaphore(settings.concurrency?.[provider] ?? 4);
      semaphores.set(provider, semaphore);
    }
    return semaphore;
  };
  const add = <T extends "image" | "video" | "audio">(
    model: string,
    type: T,
    provider: HostedProvider,
    generate: (input: InputOf<T>, ctx: Parameters<Generator<T>["generate"]>[1]) => Promise<GeneratedFile[]>,
  ) => {
    const generator: Generator<T> = { model, type, provider, generate };
    generators.push(throttled(generator, limit(provider)) as unknown as Generator);
  };
  // Each adapter bounds a call by its own default (speech in seconds, fal's video in minutes) unless the operator
  // set one for its provider; for fal that is the wait for the result, each exchange staying short.
  const timing = (provider: Exclude<HostedProvider, "fal">) => ({
    timeoutMs: settings.timeoutMs ?? settings.timeouts?.[provider],
    pollIntervalMs: settings.pollIntervalMs,
  });

  if (settings.openai) {
    const { apiKey, baseUrl } = settings.openai;
    const images = createOpenAiImages({ apiKey, baseUrl, ...timing("openai") });
    const speech = createOpenAiSpeech({ apiKey, baseUrl, ...timing("openai") });
    add("gpt-image-2", "image", "openai", async (input: ImageJobInput, ctx) => {
      const request = {
        model: settings.openai?.imageModel ?? "gpt-image-2",
        prompt: input.prompt,
        width: input.width,
        height: input.height,
        format: "png" as const,
        n: input.n ?? 1,
      };
      // With an input image (modes edit and reference), OpenAI's image edits; otherwise a generation.
      const image = ctx.images?.inputs[0];
      const files = image
        ? await images.edit({ ...request, image, ...(ctx.images?.mask && { mask: ctx.images.mask }) }, ctx)
        : await images.generate(request, ctx);
      return Promise.all(files.map((file) => asImage(file, input)));
    });
    add("openai-tts", "audio", "openai", async (input: AudioJobInput, ctx) => {
      const files = await speech.speak(
        {
          model: settings.openai?.speechModel ?? "gpt-4o-mini-tts",
          text: input.prompt,
          voice: input.voice,
          speed: input.speed,
          format: input.format,
        },
        ctx,
      );
      return files;
    });
  } else {
    for (const model of ["gpt-image-2", "openai-tts"]) unavailable[model] = "set OPENAI_API_KEY to use it.";
  }

  if (settings.fal) {
    const fal = createFalQueue({
      apiKey: settings.fal.apiKey,
      baseUrl: settings.fal.baseUrl,
      timeoutMs: settings.timeoutMs,
      pollIntervalMs: settings.pollIntervalMs,
      maxWaitMs: settings.timeouts?.fal,
    });
    for (const model of ["flux-2-turbo", "seedance"] as const) {
      add(model, "image", "fal", async (input: ImageJobInput, ctx) => {
        // With input images (modes edit and reference) the model's edit endpoint, given them as data URIs.
        const images = ctx.images?.inputs ?? [];
        const files = await fal.run(
          {
            endpoint: FAL_ENDPOINTS[images.length > 0 ? (`${model}/edit` as const) : model],
            input: {
              prompt: input.prompt,
              ...(images.length > 0 && { image_urls: images.map(dataUri) }),
              // fal refuses sizes outside the model's bounds (after accepting the job); asImage scales back.
              image_size: FAL_IMAGE_SIZES[model]({ width: input.width, height: input.height }),
              seed: input.seed,
              num_images: input.n ?? 1,
              enable_safety_checker: true,
            },
            output: "image",
          },
          ctx,
        );
        return Promise.all(files.slice(0, input.n ?? 1).map((file) => asImage(file, input)));
      });
    }
    add("seedance-video", "video", "fal", async (input: VideoJobInput, ctx) => {
      // A still to animate goes to the image-to-video endpoint.
      const still = ctx.images?.inputs[0];
      const [file] = await fal.run(
        {
          endpoint: FAL_ENDPOINTS[still ? "seedance-video/image" : "seedance-video"],
          input: {
            prompt: input.prompt,
            ...(still && { image_url: dataUri(still) }),
            duration: seedanceDuration(input.durationSeconds),
            aspect_ratio: input.aspectRatio,
            // Pro Fast makes 1080p unless told otherwise; we deliver 720p frames (VIDEO_FRAME_SIZES).
            resolution: "720p",
            seed: input.seed,
          },
          output: "video",
        },
        ctx,
      );
      return asClip(file!, input, ctx.signal);
    });
  } else {
    for (const model of ["flux-2-turbo", "seedance", "seedance-video"])
      unavailable[model] = "set FAL_KEY to use it.";
  }

  // stable-diffusion: from a prompt alone, or from the job's input image (its mode sets how far the result may
  // move from it; a mask limits the change to what it marks). Either backend makes one image a request.
  const fromImage = (input: ImageJobInput, images: GenerateContext["images"]) => {
    const image = images?.inputs[0];
    return (
      image && { image, strength: imageToImageStrength(input), ...(images?.mask && { mask: images.mask }) }
    );
  };
  if (settings.stability) {
    const stability = createStability({ ...settings.stability, ...timing("stability") });
    add("stable-diffusion", "image", "stability", (input: ImageJobInput, ctx) =>
      eachSeed(input, async (seed) => {
        const request = {
          prompt: input.prompt,
          ...(input.negativePrompt && { negativePrompt: input.negativePrompt }),
          width: input.width,
          height: input.height,
          seed,
          format: "png" as const,
        };
        const image = fromImage(input, ctx.images);
        const [file] = image
          ? await stability.imageToImage({ ...request, ...image }, ctx)
          : await stability.generate(request, ctx);
        return asImage(file!, input);
      }),
    );
  } else if (settings.automatic1111) {
    const webui = createAutomatic1111({
      baseUrl: settings.automatic1111.baseUrl,
      auth: settings.automatic1111.auth,
      ...timing("automatic1111"),
    });
    add("stable-diffusion", "image", "automatic1111", (input: ImageJobInput, ctx) =>
      eachSeed(input, async (seed) => {
        const request = {
          prompt: input.prompt,
          ...(input.negativePrompt && { negativePrompt: input.negativePrompt }),
          width: input.width,
          height: input.height,
          seed,
        };
        const image = fromImage(input, ctx.images);
        const [file] = image
          ? await webui.imageToImage({ ...request, ...image }, ctx)
          : await webui.generate(request, ctx);
        return asImage(file!, input);
      }),
    );
  } else {
    unavailable["stable-diffusion"] =
      "set STABILITY_API_KEY, or MME_A1111_URL for a self-hosted AUTOMATIC1111, to use it.";
  }

  if (settings.elevenlabs) {
    const elevenlabs = createElevenLabs({ ...settings.elevenlabs, ...timing("elevenlabs") });
    add("elevenlabs", "audio", "elevenlabs", async (input: AudioJobInput, ctx) => {
      // ElevenLabs answers MP3 or PCM: Opus and AAC are made here from its WAV.
      const native = input.format === "mp3" || input.format === "wav";
      const [file] = await elevenlabs.speak(
        {
          modelId: "eleven_multilingual_v2",
          text: input.prompt,
          // A job stored before a voice was retired names it; it speaks with the voice that replaced it.
          voiceId: findModel("elevenlabs")?.voiceAliases?.[input.voice] ?? input.voice,
          format: native ? (input.format as "mp3" | "wav") : "wav",
          // A job submitted for elevenlabs was held to its speeds; one it took over as a fallback speaks at the
          // nearest speed ElevenLabs takes rather than fail.
          speed: Math.min(ELEVENLABS_SPEED.max, Math.max(ELEVENLABS_SPEED.min, input.speed)),
          seed: input.seed,
        },
        ctx,
      );
      return native ? [file!] : [await transcode(file!, input, ctx.signal)];
    });
  } else {
    unavailable.elevenlabs = "set ELEVENLABS_API_KEY to use it.";
  }
  return { generators, unavailable };
}

/** A job's n images from a provider that makes one a request: one request each, seed, seed+1, …, in turn. */
async function eachSeed(
  input: ImageJobInput,
  one: (seed: number) => Promise<GeneratedFile>,
): Promise<GeneratedFile[]> {
  const files: GeneratedFile[] = [];
  for (let i = 0; i < (input.n ?? 1); i++) files.push(await one((input.seed + i) % 2147483647));
  return files;
}

/** An input image as a data URI, which fal takes wherever it takes a file's URL. */
function dataUri(image: InputImage): string {
  return `data:${image.mimeType};base64,${image.data.toString("base64")}`;
}

/** A provider's image at exactly the asked size and in the asked format, encoded by us. */
async function asImage(file: GeneratedFile, input: ImageJobInput): Promise<GeneratedFile> {
  let raw: Buffer;
  try {
    raw = await sharp(file.data)
      .resize(input.width, input.height, { fit: "cover", position: "centre" })
      .ensureAlpha()
      .raw()
      .toBuffer();
  } catch (error) {
    throw new PermanentGenerationError("invalid_output", "The provider's image does not decode.", {
      cause: error,
    });
  }
  return {
    data: await encodeImage(raw, input.width, input.height, input.format),
    mimeType: MIME_TYPES[input.format],
    extension: input.format,
    width: input.width,
    height: input.height,
  };
}

/** A provider's clip as ours: H.264 + AAC (silent when it has no sound) at the asked length, and a poster. */
async function asClip(
  file: GeneratedFile,
  input: VideoJobInput,
  signal: AbortSignal,
): Promise<GeneratedFile[]> {
  // From a file: an MP4 may keep its index at the end, which ffmpeg cannot seek to in a pipe.
  const dir = await mkdtemp(join(tmpdir(), "mme-clip-"));
  try {
    const source = join(dir, `provider.${file.extension}`);
    await writeFile(source, file.data);
    const scale = `scale=${input.width}:${input.height}:force_original_aspect_ratio=increase,crop=${input.width}:${input.height},fps=${input.fps}`;
    const out = join(dir, "clip.mp4");
    await runFfmpeg(
      [
        ...["-i", source, "-f", "lavfi", "-i", "anullsrc=channel_layout=mono:sample_rate=44100"],
        ...["-map", "0:v:0", "-map", "1:a", "-t", String(input.durationSeconds), "-vf", scale],
        ...["-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p"],
        ...["-c:a", "aac", "-b:a", "96k", ...BITEXACT, "-movflags", "+faststart", "-f", "mp4", "-y", out],
      ],
      { signal },
    );
    const poster = await runFfmpeg(
      ["-i", source, "-frames:v", "1", "-vf", scale, "-f", "image2", "-c:v", "png", "pipe:1"],
      { signal },
    );
    return clipFiles(await readFile(out), poster, input);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function transcode(
  file: GeneratedFile,
  input: AudioJobInput,
  signal: AbortSignal,
): Promise<GeneratedFile> {
  const codec =
    input.format === "opus"
      ? ["-c:a", "libopus", "-b:a", "48k", "-f", "ogg"]
      : ["-c:a", "aac", "-b:a", "96k", "-f", "adts"];
  const data = await runFfmpeg(["-i", "pipe:0", ...BITEXACT, ...codec, "pipe:1"], {
    signal,
    feed: (stdin) => writeChunk(stdin, file.data),
  });
  return {
    data,
    mimeType: AUDIO_MIME_TYPES[input.format],
    extension: input.format,
    durationMs: file.durationMs,
  };
}
