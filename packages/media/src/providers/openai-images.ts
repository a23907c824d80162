import type { GenerateContext, GeneratedFile } from "../generator";
import type { InputImage } from "../inputs/input-image";
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
  /** How many images, 1 (the default) to 10. */
  n?: number;
}

/** An edit (POST /v1/images/edits): the image to change and, optionally, a mask of what may change. */
export interface OpenAiImageEditRequest extends OpenAiImageRequest {
  image: InputImage;
  mask?: InputImage;
}

// The sizes gpt-image-1 and 1.5 draw; the result is then scaled (and cropped) to the asked size.
const SIZES = [
  { size: "1024x1024", ratio: 1 },
  { size: "1536x1024", ratio: 1536 / 1024 },
  { size: "1024x1536", ratio: 1024 / 1536 },
];

/**
 * gpt-image-2 draws any size whose sides are multiples of 16, at most 3840, no more than 3:1 apart, with
 * 655,360 to 8,294,400 pixels in all.
 */
export const GPT_IMAGE_2_SIZES = {
  step: 16,
  maxSide: 3840,
  maxRatio: 3,
  minPixels: 655_360,
  maxPixels: 8_294_400,
};

const DEFAULT_TIMEOUT_MS = 180_000;

/** The size to ask `model` for: the asked size when the model draws it, else the nearest one it draws. */
export function openAiImageSize(width: number, height: number, model = "gpt-image-1"): string {
  if (!/^gpt-image-2/.test(model)) return nearestRatio(width, height, SIZES).size;
  const { step, maxSide, maxRatio, minPixels, maxPixels } = GPT_IMAGE_2_SIZES;
  const draws = (w: number, h: number) =>
    w % step === 0 &&
    h % step === 0 &&
    Math.max(w, h) <= maxSide &&
    Math.max(w, h) <= maxRatio * Math.min(w, h) &&
    w * h >= minPixels &&
    w * h <= maxPixels;
  const rounded = (side: number) => Math.max(step, Math.round(side / step) * step);
  if (draws(rounded(width), rounded(height))) return `${rounded(width)}x${rounded(height)}`;
  // A ratio beyond 3:1 is drawn at 3:1 and cropped to the asked shape.
  const ratio = Math.min(maxRatio, Math.max(width, height) / Math.min(width, height));
  const pixels = Math.min(maxPixels, (maxSide * maxSide) / ratio, Math.max(minPixels, width * height));
  // The short side in steps, the long one following it; then steps up or down until the pixels fit.
  const longFor = (short: number) =>
    Math.min(maxSide, short * maxRatio, Math.max(short, Math.round((short * ratio) / step) * step));
  let short = rounded(Math.sqrt(pixels / ratio));
  while (short * longFor(short) < minPixels) short += step;
  while (short * longFor(short) > maxPixels) short -= step;
  const long = longFor(short);
  return width >= height ? `${long}x${short}` : `${short}x${long}`;
}

export interface OpenAiImages {
  generate(request: OpenAiImageRequest, ctx: GenerateContext): Promise<GeneratedFile[]>;
  /** Changes a given image as the prompt says (image edits, multipart), `n` results. */
  edit(request: OpenAiImageEditRequest, ctx: GenerateContext): Promise<GeneratedFile[]>;
}

/**
 * OpenAI's Images API: POST /v1/images/generations (JSON) and POST /v1/images/edits (multipart/form-data, the
 * image as a file), `n` images a call, returned as base64 and each fitted to the asked size and format.
 */
export function createOpenAiImages(config: OpenAiImagesConfig): OpenAiImages {
  const baseUrl = openAiRoot(config.baseUrl);
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const call = async (
    path: string,
    body: string | FormData,
    request: OpenAiImageRequest,
    ctx: GenerateContext,
  ): Promise<GeneratedFile[]> => {
    const response = await providerFetch(
      joinUrl(baseUrl, path),
      {
        method: "POST",
        // A form names its own boundary.
        headers: {
          Authorization: `Bearer ${config.apiKey}`,
          ...(typeof body === "string" && { "Content-Type": "application/json" }),
        },
        body,
      },
      { signal: ctx.signal, timeoutMs, provider: OPENAI },
    );
    if (!response.ok) throw failureFromResponse(response, openAiFailureRules(config.apiKey));
    const answer = jsonBody(response, OPENAI);
    const data = isRecord(answer) && Array.isArray(answer.data) ? answer.data : [];
    const wanted = request.n ?? 1;
    if (data.length < wanted) throw malformed(OPENAI, `data holds ${data.length} images, not ${wanted}`);
    ctx.onProgress?.(0.9);
    const files: GeneratedFile[] = [];
    for (const [i, item] of data.slice(0, wanted).entries()) {
      if (!isRecord(item)) throw malformed(OPENAI, `data[${i}] is missing`);
      files.push(
        await fitImage(decodeBase64Image(item.b64_json, OPENAI, `data[${i}].b64_json`), request, OPENAI),
      );
    }
    return files;
  };
  return {
    generate: (request, ctx) =>
      call(
        "/v1/images/generations",
        JSON.stringify({
          model: request.model,
          prompt: request.prompt,
          n: request.n ?? 1,
          size: openAiImageSize(request.width, request.height, request.model),
          output_format: request.format,
        }),
        request,
        ctx,
      ),
    edit(request, ctx) {
      const form = new FormData();
      form.set("model", request.model);
      form.set("prompt", request.prompt);
      form.set("image", fileOf(request.image, "image"));
      if (request.mask) form.set("mask", fileOf(request.mask, "mask"));
      form.set("n", String(request.n ?? 1));
      form.set("size", openAiImageSize(request.width, request.height, request.model));
      form.set("output_format", request.format);
      return call("/v1/images/edits", form, request, ctx);
    },
  };
}

/** An input image as a form's file, named by its format (OpenAI reads the type from the name and the part). */
function fileOf(image: InputImage, name: string): Blob {
  return new File([new Uint8Array(image.data)], `${name}.${image.mimeType.slice(6)}`, {
    type: image.mimeType,
  });
}
