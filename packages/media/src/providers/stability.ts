import type { GenerateContext, GeneratedFile } from "../generator";
import { PermanentGenerationError, TransientGenerationError } from "../generator";
import type { InputImage } from "../inputs/input-image";
import type { HostedProviderConfig } from "./config";
import {
  accountProblemByStatus,
  type FailedAnswer,
  type FailureRules,
  failureFromResponse,
  isRecord,
  joinUrl,
  providerFetch,
} from "./http";
import { fitImage, nearestRatio, type OutputImageFormat } from "./image-files";
import { inputAsPng, maskAsWhiteToChange } from "./input-files";

export type StabilityConfig = HostedProviderConfig;

export interface StabilityImageRequest {
  prompt: string;
  /** What the image must not show (Stable Image Core's negative_prompt). */
  negativePrompt?: string;
  width: number;
  height: number;
  seed: number;
  format: OutputImageFormat;
}

/** Image-to-image: the prompt drawn from a given image, or an edit of the part a mask marks. */
export interface StabilityImageToImageRequest extends StabilityImageRequest {
  image: InputImage;
  /** How far from the image, 0 (the image itself) to 1 (as if none were given): Stable Diffusion 3.5's strength. */
  strength: number;
  /** What may change (ours: transparent there). With a mask the edit goes to Inpaint, which takes no strength. */
  mask?: InputImage;
}

export interface Stability {
  generate(request: StabilityImageRequest, ctx: GenerateContext): Promise<GeneratedFile[]>;
  /** Stable Diffusion 3.5's image-to-image, or Inpaint when a mask is given; one image a request. */
  imageToImage(request: StabilityImageToImageRequest, ctx: GenerateContext): Promise<GeneratedFile[]>;
}

const PROVIDER = "Stability AI";
const BASE_URL = "https://api.stability.ai";
const DEFAULT_TIMEOUT_MS = 120_000;
// Stable Image Core for text alone; Stable Diffusion 3.5 (mode image-to-image) and Inpaint for an input image.
// Each takes png, jpeg and webp out.
const PATH = "/v2beta/stable-image/generate/core";
const SD3_PATH = "/v2beta/stable-image/generate/sd3";
const INPAINT_PATH = "/v2beta/stable-image/edit/inpaint";
// SD 3.5 draws about 1 megapixel, and a request may carry 10 MiB: the input is sent at 1024 px at most. Both
// endpoints refuse a side under 64 px.
const INPUT_SIDES = { maxSide: 1024, minSide: 64 };
const MAX_SEED = 4_294_967_294;

const ASPECT_RATIOS = ["21:9", "16:9", "3:2", "5:4", "1:1", "4:5", "2:3", "9:16", "9:21"].map((name) => {
  const [w, h] = name.split(":").map(Number);
  return { name, ratio: w! / h! };
});

export function stabilityAspectRatio(width: number, height: number): string {
  return nearestRatio(width, height, ASPECT_RATIOS).name;
}

// A refused prompt is a 403 { id, name: "content_moderation", errors: [...] }.
function isContentPolicy(answer: FailedAnswer): boolean {
  return answer.status === 403 && isRecord(answer.json) && answer.json.name === "content_moderation";
}

/** Stability takes seeds 0 to 4294967294 and treats 0 as "random": our seed 0 is sent as the largest instead. */
export function stabilitySeed(seed: number): number {
  const clamped = Math.min(Math.max(0, Math.trunc(seed)), MAX_SEED);
  return clamped === 0 ? MAX_SEED : clamped;
}

/**
 * Stability's Stable Image API: multipart form in, the image's bytes out (Accept: image/*). Stable Image Core
 * draws from text; Stable Diffusion 3.5 (image-to-image) and Inpaint start from a given image.
 */
export function createStability(config: StabilityConfig): Stability {
  const baseUrl = config.baseUrl ?? BASE_URL;
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // 402: the account's credits are used up; 401 and 403 (other than a refused prompt) are the key's.
  const rules: FailureRules = {
    provider: PROVIDER,
    secrets: [config.apiKey],
    isContentPolicy,
    accountProblem: accountProblemByStatus,
  };
  // One POST of a form; the image's bytes come back (Accept: image/*), fitted to the asked size and format.
  async function send(
    path: string,
    form: FormData,
    request: StabilityImageRequest,
    ctx: GenerateContext,
  ): Promise<GeneratedFile[]> {
    const response = await providerFetch(
      joinUrl(baseUrl, path),
      {
        method: "POST",
        headers: { Authorization: `Bearer ${config.apiKey}`, Accept: "image/*" },
        body: form,
      },
      { signal: ctx.signal, timeoutMs, provider: PROVIDER },
    );
    if (!response.ok) throw failureFromResponse(response, rules);
    // A 200 can still be a refusal: the output tripped the filter and came back blurred.
    if (response.headers.get("finish-reason") === "CONTENT_FILTERED") {
      throw new PermanentGenerationError(
        "content_policy",
        `${PROVIDER} refused the prompt on content policy: the output was filtered (finish-reason CONTENT_FILTERED)`,
      );
    }
    if (response.headers.get("finish-reason") === "ERROR") {
      throw new TransientGenerationError(`${PROVIDER} reported a failed generation (finish-reason ERROR)`);
    }
    ctx.onProgress?.(0.9);
    return [await fitImage(response.body, request, PROVIDER)];
  }

  // The fields every request carries: the prompt, what not to show, the seed, the format.
  function baseForm(request: StabilityImageRequest): FormData {
    const form = new FormData();
    form.set("prompt", request.prompt);
    if (request.negativePrompt) form.set("negative_prompt", request.negativePrompt);
    form.set("output_format", request.format);
    form.set("seed", String(stabilitySeed(request.seed)));
    return form;
  }

  return {
    generate(request, ctx) {
      const form = baseForm(request);
      form.set("aspect_ratio", stabilityAspectRatio(request.width, request.height));
      return send(PATH, form, request, ctx);
    },
    async imageToImage(request, ctx) {
      const image = await inputAsPng(request.image, INPUT_SIDES);
      const form = baseForm(request);
      form.set("image", new File([new Uint8Array(image.data)], "image.png", { type: "image/png" }));
      if (request.mask) {
        // Inpaint: white is where the image may change; it keeps the image's own size and framing.
        const mask = await maskAsWhiteToChange(request.mask, image);
        form.set("mask", new File([new Uint8Array(mask)], "mask.png", { type: "image/png" }));
        return send(INPAINT_PATH, form, request, ctx);
      }
      // Image-to-image follows the input's shape (aspect_ratio is for text-to-image only); fitImage crops.
      form.set("mode", "image-to-image");
      form.set("strength", String(Math.min(1, Math.max(0, request.strength))));
      return send(SD3_PATH, form, request, ctx);
    },
  };
}
