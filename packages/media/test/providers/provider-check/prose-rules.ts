import type { JsonSchema, Operation } from "./operation";

/**
 * Limits a definition states in the description of a field rather than in its schema. Each rule quotes the words
 * it enforces: a new copy of the definition that no longer says them fails the definitions test, naming the rule
 * to review.
 */
export interface ProseRule {
  /** The body field whose description holds the words. */
  field: string;
  says: string[];
  /** Why the body breaks the rule, or undefined. */
  check(body: Record<string, unknown>): string | undefined;
}

const GPT_IMAGE = /^gpt-image-/;
const GPT_IMAGE_2 = /^gpt-image-2(-|$)/;
const STANDARD_SIZES = ["auto", "1024x1024", "1536x1024", "1024x1536"];

export const OPENAI_IMAGE_RULES: ProseRule[] = [
  {
    field: "size",
    says: [
      "For `gpt-image-2` and `gpt-image-2-2026-04-21`, arbitrary resolutions are supported as `WIDTHxHEIGHT` strings",
      "Width and height must both be divisible by 16 and the requested aspect ratio must be between 1:3 and 3:1.",
      "the maximum supported resolution is `3840x2160`",
      "The standard sizes `1024x1024`, `1536x1024`, and `1024x1536` are supported by the GPT image models; `auto` is supported for models that allow automatic sizing.",
    ],
    check({ model, size }) {
      if (size === undefined || typeof model !== "string" || !GPT_IMAGE.test(model)) return undefined;
      if (STANDARD_SIZES.includes(String(size))) return undefined;
      if (!GPT_IMAGE_2.test(model))
        return `size ${JSON.stringify(size)} is not one ${model} takes (${STANDARD_SIZES.join(", ")})`;
      const [, w, h] = /^(\d+)x(\d+)$/.exec(String(size)) ?? [];
      const [width, height] = [Number(w), Number(h)];
      // "Maximum supported resolution 3840x2160" read as: no side over 3840 and no more pixels than 3840×2160.
      const fits =
        width % 16 === 0 &&
        height % 16 === 0 &&
        Math.max(width, height) <= 3 * Math.min(width, height) &&
        Math.max(width, height) <= 3840 &&
        width * height <= 3840 * 2160;
      return w && h && fits
        ? undefined
        : `size ${JSON.stringify(size)} is not one ${model} takes: sides divisible by 16, aspect ratio between 1:3 and 3:1, at most 3840x2160`;
    },
  },
  {
    field: "output_format",
    says: ["This parameter is only supported for the GPT image models."],
    check: ({ model, output_format }) =>
      output_format === undefined || GPT_IMAGE.test(String(model))
        ? undefined
        : `output_format is only for the GPT image models, not ${JSON.stringify(model)}`,
  },
];

const VOICES =
  "Supported built-in voices are `alloy`, `ash`, `ballad`, `coral`, `echo`, `fable`, `onyx`, `nova`, `sage`, `shimmer`, `verse`, `marin`, and `cedar`.";

export const OPENAI_SPEECH_RULES: ProseRule[] = [
  {
    field: "voice",
    says: [VOICES, "You may also provide a custom voice object with an `id`"],
    check({ voice }) {
      // The schema takes any string (a newer voice, say): the built-in ones are those the description lists.
      const builtIn = [...VOICES.matchAll(/`(\w+)`/g)].map(([, name]) => name);
      return typeof voice !== "string" || builtIn.includes(voice)
        ? undefined
        : `voice ${JSON.stringify(voice)} is not one of the built-in voices (${builtIn.join(", ")})`;
    },
  },
];

type Size = { width?: unknown; height?: unknown };
const sides = (value: unknown): [number, number] | undefined => {
  if (value === null || typeof value !== "object") return undefined;
  const { width, height } = value as Size;
  return [Number(width), Number(height)];
};

// FLUX.2 [turbo]'s page says this of both its text-to-image and its edit endpoint.
const FLUX_2_SIDES: ProseRule = {
  field: "image_size",
  says: ["The width and height must be between 512 and 2048 pixels."],
  check({ image_size }) {
    const size = sides(image_size);
    return !size || size.every((side) => side >= 512 && side <= 2048)
      ? undefined
      : `image_size ${size.join("x")} has a side outside 512 to 2048`;
  },
};

export const FAL_RULES: Record<string, ProseRule[]> = {
  "fal-ai/flux-2/turbo": [FLUX_2_SIDES],
  "fal-ai/flux-2/turbo/edit": [FLUX_2_SIDES],
  "fal-ai/bytedance/seedream/v4/edit": [
    {
      field: "image_size",
      says: ["The minimum total image area is 921600 pixels."],
      check({ image_size }) {
        const size = sides(image_size);
        return !size || size[0] * size[1] >= 921_600
          ? undefined
          : `image_size ${size.join("x")} has ${size[0] * size[1]} pixels, under 921600`;
      },
    },
  ],
  "fal-ai/bytedance/seedream/v4/text-to-image": [
    {
      field: "image_size",
      says: ["Total pixels must be between 960x960 and 4096x4096."],
      check({ image_size }) {
        const size = sides(image_size);
        return !size || (size[0] * size[1] >= 960 * 960 && size[0] * size[1] <= 4096 * 4096)
          ? undefined
          : `image_size ${size.join("x")} has ${size[0] * size[1]} pixels, outside 960x960 to 4096x4096`;
      },
    },
  ],
};

export const ELEVENLABS_SPEECH_RULES: ProseRule[] = [
  {
    field: "seed",
    says: ["Must be integer between 0 and 4294967295."],
    check: ({ seed }) =>
      seed === undefined ||
      seed === null ||
      (Number.isInteger(seed) && Number(seed) >= 0 && Number(seed) <= 4294967295)
        ? undefined
        : `seed ${JSON.stringify(seed)} is not an integer between 0 and 4294967295`,
  },
];

// Stable Diffusion 3.5 (POST /v2beta/stable-image/generate/sd3): what each mode takes.
const IMAGE_TO_IMAGE = "image-to-image";
export const STABILITY_SD3_RULES: ProseRule[] = [
  {
    field: "mode",
    says: ["- **image-to-image** requires the `prompt`, `image`, and `strength` parameters"],
    check({ mode, image, strength }) {
      if (mode === IMAGE_TO_IMAGE)
        return image === undefined || strength === undefined
          ? "mode image-to-image requires image and strength"
          : undefined;
      return image === undefined && strength === undefined
        ? undefined
        : "image and strength are only valid with mode image-to-image";
    },
  },
  {
    field: "aspect_ratio",
    says: ["This parameter is only valid for **text-to-image** requests."],
    check: ({ mode, aspect_ratio }) =>
      aspect_ratio !== undefined && mode === IMAGE_TO_IMAGE
        ? "aspect_ratio is only valid for text-to-image requests"
        : undefined,
  },
];

/** The words an operation's rules quote that its definition no longer says, one line each. */
export function unsaid(operation: Operation): string[] {
  const properties = (operation.body?.schema.properties ?? {}) as Record<string, JsonSchema>;
  return (operation.rules ?? []).flatMap((rule) => {
    const description = String(properties[rule.field]?.description ?? "");
    return rule.says
      .filter((words) => !description.includes(words))
      .map(
        (words) =>
          `${operation.definition}: ${operation.method} ${operation.path} ${rule.field} no longer says "${words}": review its rule in prose-rules.ts`,
      );
  });
}
