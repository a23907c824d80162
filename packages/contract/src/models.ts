import { z } from "zod";
import type { InputImageMode, TypedJobInput } from "./job";

export const MediaType = z.enum(["image", "video", "audio"]).describe("The kind of media a job makes.");
export type MediaType = z.infer<typeof MediaType>;

/** Who runs a model: our own offline engine, or a provider on the internet reached through an adapter. */
export type ModelProvider = "local" | "openai" | "fal" | "stability" | "elevenlabs";

/** What a model's price is counted in: images by started megapixel, clips by second, speech by started 1,000 characters. */
export type CostUnit = "megapixel" | "second" | "kilocharacter";

export interface ModelDefinition {
  id: string;
  type: MediaType;
  provider: ModelProvider;
  description: string;
  /** Credits per unit (at least one unit a job). */
  credits: number;
  unit: CostUnit;
  /** The voices of a speech model (the first is the default); video models narrate with local-voice's. */
  voices?: readonly string[];
  /** What a hosted model cannot do that the request schema allows; refused at submission (422 unsupported_input). */
  limits?: {
    maxDurationSeconds?: number;
    voiceover?: false;
    pitch?: false;
    /** The speaking rates the provider takes, narrower than the schema's 0.5 to 2. */
    speed?: { min: number; max: number };
  };
  /**
   * What a model takes beyond a prompt (image jobs: input images, mask, negativePrompt, n; video: a still to
   * animate). Absent means none of it; a job asking for more is refused at submission (422 unsupported_input).
   */
  inputs?: ModelInputs;
  /** Voice names a speech model still accepts for another of its voices (the provider retired them). */
  voiceAliases?: Readonly<Record<string, string>>;
}

export interface ModelInputs {
  /** The modes input images may be used in. */
  imageModes?: readonly InputImageMode[];
  /** The most input images a job takes (1 when absent). */
  maxInputImages?: number;
  /** Takes a mask with mode edit. */
  mask?: boolean;
  /** Takes a negativePrompt. */
  negativePrompt?: boolean;
  /** The most images one job makes (n; 1 when absent). */
  maxImages?: number;
  /** Animates a given still (a video job's inputImage). */
  imageToVideo?: boolean;
}

export const LOCAL_VOICES = ["en-us-female", "en-us-male", "en-gb-female", "en-gb-male"] as const;

/**
 * Every model the product knows. Whether one can run here is decided by the engine at start (a remote model
 * needs its provider's credentials); the catalog itself is static and the same everywhere.
 */
export const MODEL_CATALOG: readonly ModelDefinition[] = [
  {
    id: "local-studio",
    type: "image",
    provider: "local",
    description:
      "Our offline image engine: typeset cards, studio product shots and social posts, drawn locally.",
    credits: 1,
    unit: "megapixel",
    inputs: { imageModes: ["edit", "variation", "reference"], maxInputImages: 1, mask: true, maxImages: 4 },
  },
  {
    id: "flux-2-turbo",
    type: "image",
    provider: "fal",
    description: "FLUX.2 turbo through fal: fast photorealistic images.",
    credits: 2,
    unit: "megapixel",
    // fal's edit endpoint of the same model takes up to 4 input images (image_urls) and num_images.
    inputs: { imageModes: ["edit", "reference"], maxInputImages: 4, maxImages: 4 },
  },
  {
    id: "seedance",
    type: "image",
    provider: "fal",
    description: "ByteDance Seed (Seedream) images through fal.",
    credits: 3,
    unit: "megapixel",
    // fal's edit endpoint of the same model takes up to 4 input images (image_urls) and num_images.
    inputs: { imageModes: ["edit", "reference"], maxInputImages: 4, maxImages: 4 },
  },
  {
    id: "gpt-image-2",
    type: "image",
    provider: "openai",
    description: "OpenAI's image model: strong prompt following and text rendering.",
    credits: 4,
    unit: "megapixel",
    // Image edits (POST /v1/images/edits) take the image, an optional mask and n.
    inputs: { imageModes: ["edit", "reference"], maxInputImages: 1, mask: true, maxImages: 4 },
  },
  {
    id: "stable-diffusion",
    type: "image",
    provider: "stability",
    description: "Stable Diffusion through Stability's API or a self-hosted AUTOMATIC1111 server.",
    credits: 2,
    unit: "megapixel",
    // Both backends take a negative prompt and one input image: Stability's SD 3.5 image-to-image (Inpaint with a
    // mask), the web UI's img2img (with its mask). Each makes one image a request, so n images are n requests.
    inputs: {
      imageModes: ["edit", "variation", "reference"],
      maxInputImages: 1,
      mask: true,
      negativePrompt: true,
      maxImages: 4,
    },
  },
  {
    id: "local-motion",
    type: "video",
    provider: "local",
    description:
      "Our offline video engine: a key image (drawn, or your still) with camera motion, animated captions and an optional voiceover, H.264 + AAC.",
    credits: 1,
    unit: "second",
    inputs: { imageToVideo: true },
  },
  {
    id: "seedance-video",
    type: "video",
    provider: "fal",
    description: "ByteDance Seedance 1.0 Pro Fast text-to-video through fal: up to 12 s, no voiceover.",
    credits: 10,
    unit: "second",
    limits: { maxDurationSeconds: 12, voiceover: false },
    // fal's Seedance Pro Fast image-to-video animates a given still.
    inputs: { imageToVideo: true },
  },
  {
    id: "local-voice",
    type: "audio",
    provider: "local",
    description:
      "Our offline speech engine (eSpeak NG): several voices, speed and pitch, word-timed captions.",
    credits: 1,
    unit: "kilocharacter",
    voices: LOCAL_VOICES,
  },
  {
    id: "openai-tts",
    type: "audio",
    provider: "openai",
    description: "OpenAI's speech model: natural voices.",
    credits: 2,
    unit: "kilocharacter",
    voices: ["alloy", "ash", "coral", "echo", "fable", "nova", "onyx", "sage", "shimmer"],
    limits: { pitch: false },
  },
  {
    id: "elevenlabs",
    type: "audio",
    provider: "elevenlabs",
    description: "ElevenLabs multilingual speech: voices Sarah and George, speed 0.7 to 1.2.",
    credits: 3,
    unit: "kilocharacter",
    // ElevenLabs' premade voices by id: Sarah, George. Rachel and Adam, listed here before, are legacy voices
    // at ElevenLabs now: their ids are still accepted here and speak as Sarah and George.
    voices: ["EXAVITQu4vr4xnSDxMaL", "JBFqnCBsd6RMkjVDRZzb"],
    voiceAliases: {
      "21m00Tcm4TlvDq8ikWAM": "EXAVITQu4vr4xnSDxMaL",
      pNInz6obpgDQGcFmaJgB: "JBFqnCBsd6RMkjVDRZzb",
    },
    limits: { pitch: false, speed: { min: 0.7, max: 1.2 } },
  },
];

export const DEFAULT_MODEL: Record<MediaType, string> = {
  image: "local-studio",
  video: "local-motion",
  audio: "local-voice",
};

export function findModel(id: string): ModelDefinition | undefined {
  return MODEL_CATALOG.find((m) => m.id === id);
}

/** How many of its model's units a job is: started megapixels, seconds, or started thousands of characters. */
export function costUnits(job: TypedJobInput): number {
  switch (job.type) {
    case "image":
      // Each of the job's n images is billed as a job of its own would be.
      return Math.max(1, Math.ceil((job.input.width * job.input.height) / 1_000_000)) * (job.input.n ?? 1);
    case "video":
      return job.input.durationSeconds;
    case "audio":
      return Math.max(1, Math.ceil(job.input.prompt.length / 1000));
  }
}

/** Credits a job costs on a model. */
export function jobCost(model: ModelDefinition, job: TypedJobInput): number {
  return model.credits * costUnits(job);
}

export const ModelInfo = z
  .object({
    id: z.string().describe("The model's id, for the `model` field of a job."),
    type: MediaType,
    provider: z.string().describe("Who runs it: local (this machine) or a provider's API."),
    description: z.string().describe("What the model is good at."),
    available: z
      .boolean()
      .describe("Whether this server can run it now (remote models need their provider's key)."),
    reason: z.string().optional().describe("Why it cannot run here, when it cannot."),
    voices: z
      .array(z.string())
      .optional()
      .describe("The voices of a speech model; the first is the default."),
    inputs: z
      .object({
        imageModes: z
          .array(z.enum(["edit", "variation", "reference"]))
          .describe("The modes its input images may be used in; empty when it takes none."),
        maxInputImages: z.number().int().describe("The most input images a job takes."),
        mask: z.boolean().describe("Whether it takes a mask with mode edit."),
        negativePrompt: z.boolean().describe("Whether it takes a negativePrompt."),
        maxImages: z.number().int().describe("The most images one job makes (n)."),
        imageToVideo: z.boolean().describe("Whether a video job may give a still to animate (inputImage)."),
      })
      .describe(
        "What a job on this model may ask beyond a prompt; more is refused with 422 unsupported_input.",
      ),
    cost: z
      .object({
        credits: z.number().int().describe("Credits per unit, at least one unit a job."),
        unit: z
          .enum(["megapixel", "second", "kilocharacter"])
          .describe(
            "megapixel: per started megapixel. second: per second of video. kilocharacter: per started 1,000 characters.",
          ),
        rule: z.string().describe("The cost rule in words."),
      })
      .describe("What a job on this model costs."),
  })
  .describe("A model and what it costs.");
export type ModelInfo = z.infer<typeof ModelInfo>;

export const ModelList = z.object({ data: z.array(ModelInfo).describe("Every model in the catalog.") });
export type ModelList = z.infer<typeof ModelList>;

const UNIT_WORDS: Record<CostUnit, [string, string]> = {
  megapixel: ["per started megapixel", "at least one megapixel, times n images"],
  second: ["per second of video", "at least one second"],
  kilocharacter: ["per started 1,000 characters", "at least one"],
};

/** A model's inputs with every default spelled out, as GET /v1/models shows them. */
export function modelInputs(
  model: ModelDefinition | undefined,
): Required<Omit<ModelInputs, "imageModes">> & { imageModes: InputImageMode[] } {
  const inputs = model?.inputs ?? {};
  return {
    imageModes: [...(inputs.imageModes ?? [])],
    maxInputImages: inputs.imageModes?.length ? (inputs.maxInputImages ?? 1) : 0,
    mask: inputs.mask ?? false,
    negativePrompt: inputs.negativePrompt ?? false,
    maxImages: inputs.maxImages ?? 1,
    imageToVideo: inputs.imageToVideo ?? false,
  };
}

export function costRule(model: ModelDefinition): string {
  const [per, least] = UNIT_WORDS[model.unit];
  return `${model.credits} credit${model.credits === 1 ? "" : "s"} ${per}, ${least}`;
}
