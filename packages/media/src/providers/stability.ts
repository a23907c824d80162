import type { GenerateContext, GeneratedFile } from "../generator";
import { PermanentGenerationError, TransientGenerationError } from "../generator";
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

export interface Stability {
  generate(request: StabilityImageRequest, ctx: GenerateContext): Promise<GeneratedFile[]>;
}

const PROVIDER = "Stability AI";
const BASE_URL = "https://api.stability.ai";
const DEFAULT_TIMEOUT_MS = 120_000;
// Stable Image Core: it takes png, jpeg and webp (the sd3 endpoint only png and jpeg).
const PATH = "/v2beta/stable-image/generate/core";
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

/** Stability's Stable Image Core: multipart form in, the image's bytes out (Accept: image/*). */
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
  return {
    async generate(request, ctx) {
      const form = new FormData();
      form.set("prompt", request.prompt);
      if (request.negativePrompt) form.set("negative_prompt", request.negativePrompt);
      form.set("output_format", request.format);
      form.set("aspect_ratio", stabilityAspectRatio(request.width, request.height));
      form.set("seed", String(stabilitySeed(request.seed)));
      const response = await providerFetch(
        joinUrl(baseUrl, PATH),
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
    },
  };
}
