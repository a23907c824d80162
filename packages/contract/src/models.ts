import { z } from "zod";

export const MediaType = z.enum(["image", "video", "audio"]).describe("The kind of media a job makes.");
export type MediaType = z.infer<typeof MediaType>;

/** Who runs a model: our own offline engine, or a provider on the internet reached through an adapter. */
export type ModelProvider = "local" | "openai" | "fal" | "stability" | "byteplus";

export interface ModelDefinition {
  id: string;
  type: MediaType;
  provider: ModelProvider;
  description: string;
  /** Credits for one image of up to one megapixel; larger images cost per started megapixel. */
  creditsPerMegapixel: number;
}

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
    creditsPerMegapixel: 1,
  },
  {
    id: "flux-2-turbo",
    type: "image",
    provider: "fal",
    description: "FLUX.2 turbo through fal: fast photorealistic images.",
    creditsPerMegapixel: 2,
  },
  {
    id: "seedance",
    type: "image",
    provider: "byteplus",
    description: "ByteDance Seed through BytePlus ModelArk.",
    creditsPerMegapixel: 3,
  },
  {
    id: "gpt-image-2",
    type: "image",
    provider: "openai",
    description: "OpenAI's image model: strong prompt following and text rendering.",
    creditsPerMegapixel: 4,
  },
  {
    id: "stable-diffusion",
    type: "image",
    provider: "stability",
    description: "Stable Diffusion through Stability's API or a self-hosted server.",
    creditsPerMegapixel: 2,
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

/** Credits one image costs: the model's rate per started megapixel, at least one megapixel's worth. */
export function imageCost(model: ModelDefinition, width: number, height: number): number {
  const megapixels = Math.max(1, Math.ceil((width * height) / 1_000_000));
  return model.creditsPerMegapixel * megapixels;
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
    cost: z
      .object({
        creditsPerMegapixel: z
          .number()
          .int()
          .describe("Credits per started megapixel of each image, at least one."),
        rule: z.string().describe("The cost rule in words."),
      })
      .describe("What a job on this model costs."),
  })
  .describe("A model and what it costs.");
export type ModelInfo = z.infer<typeof ModelInfo>;

export const ModelList = z.object({ data: z.array(ModelInfo).describe("Every model in the catalog.") });
export type ModelList = z.infer<typeof ModelList>;

export function costRule(model: ModelDefinition): string {
  return `${model.creditsPerMegapixel} credit${model.creditsPerMegapixel === 1 ? "" : "s"} per started megapixel, at least one megapixel`;
}
