import type { GenerateContext, GeneratedFile } from "../generator";
import type { HostedProviderConfig } from "./config";
import { failureFromResponse, isRecord, joinUrl, jsonBody, malformed, providerFetch } from "./http";
import { decodeBase64Image, fitImage, nearestRatio, type OutputImageFormat } from "./image-files";
import { OPENAI, openAiFailureRules, openAiRoot } from "./openai-errors";

export type OpenAiImagesConfig = HostedProviderConfig;

export interface OpenAiImageRequest {
  /** The model id sent as is, such as "gpt-image-1". */
  model: string;
  prompt: string;
  width: number;
  height: number;
  format: OutputImageFormat;
}

// The sizes the GPT image models draw; the result is then scaled to the asked size.
const SIZES = [
  { size: "1024x1024", ratio: 1 },
  { size: "1536x1024", ratio: 1536 / 1024 },
  { size: "1024x1536", ratio: 1024 / 1536 },
];

const DEFAULT_TIMEOUT_MS = 180_000;

export function openAiImageSize(width: number, height: number): string {
  return nearestRatio(width, height, SIZES).size;
}

export interface OpenAiImages {
  generate(request: OpenAiImageRequest, ctx: GenerateContext): Promise<GeneratedFile[]>;
}

/** OpenAI's Images API (POST /v1/images/generations), one image a call, returned as base64. */
export function createOpenAiImages(config: OpenAiImagesConfig): OpenAiImages {
  const baseUrl = openAiRoot(config.baseUrl);
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    async generate(request: OpenAiImageRequest, ctx: GenerateContext): Promise<GeneratedFile[]> {
      const response = await providerFetch(
        joinUrl(baseUrl, "/v1/images/generations"),
        {
          method: "POST",
          headers: { Authorization: `Bearer ${config.apiKey}`, "Content-Type": "application/json" },
          body: JSON.stringify({
            model: request.model,
            prompt: request.prompt,
            n: 1,
            size: openAiImageSize(request.width, request.height),
            output_format: request.format,
          }),
        },
        { signal: ctx.signal, timeoutMs, provider: OPENAI },
      );
      if (!response.ok) throw failureFromResponse(response, openAiFailureRules(config.apiKey));
      const body = jsonBody(response, OPENAI);
      const first = isRecord(body) && Array.isArray(body.data) ? body.data[0] : undefined;
      if (!isRecord(first)) throw malformed(OPENAI, "data[0] is missing");
      const image = decodeBase64Image(first.b64_json, OPENAI, "data[0].b64_json");
      ctx.onProgress?.(0.9);
      return [await fitImage(image, request, OPENAI)];
    },
  };
}
