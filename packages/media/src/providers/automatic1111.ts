import { type GenerateContext, type GeneratedFile, throwIfAborted } from "../generator";
import type { InputImage } from "../inputs/input-image";
import {
  accountProblemByStatus,
  failureFromResponse,
  isRecord,
  joinUrl,
  jsonBody,
  malformed,
  providerFetch,
} from "./http";
import { decodeBase64Image, fitImage } from "./image-files";
import { inputAsPng, maskAsWhiteToChange } from "./input-files";

export interface Automatic1111Config {
  /** Where the web UI runs with --api, such as "http://127.0.0.1:7860". */
  baseUrl: string;
  timeoutMs?: number;
  /** Sampling steps; the web UI's own default is 20. */
  steps?: number;
  /** For a web UI started with --api-auth user:password: sent as HTTP Basic authentication. */
  auth?: { username: string; password: string };
}

export interface Automatic1111ImageRequest {
  prompt: string;
  /** What the image must not show (the web UI's negative_prompt). */
  negativePrompt?: string;
  width: number;
  height: number;
  seed: number;
}

/** Image-to-image (img2img): the prompt drawn from a given image, changed only where a mask says when given. */
export interface Automatic1111ImageToImageRequest extends Automatic1111ImageRequest {
  image: InputImage;
  /** How far from the image, 0 (the image itself) to 1 (as if none were given): the web UI's denoising_strength. */
  strength: number;
  /** What may change (ours: transparent there); the rest is kept. */
  mask?: InputImage;
}

export interface Automatic1111 {
  generate(request: Automatic1111ImageRequest, ctx: GenerateContext): Promise<GeneratedFile[]>;
  imageToImage(request: Automatic1111ImageToImageRequest, ctx: GenerateContext): Promise<GeneratedFile[]>;
}

const PROVIDER = "AUTOMATIC1111";
const DEFAULT_TIMEOUT_MS = 300_000;
const DEFAULT_STEPS = 20;
const INTERRUPT_TIMEOUT_MS = 1_000;
// The web UI scales the input to the asked size itself: a bigger one is only a bigger request.
const INPUT_SIDES = { maxSide: 2048, minSide: 64 };
// img2img's resize_mode 1, "Crop and resize": the input fills the asked frame, as our own fitting does.
const CROP_AND_RESIZE = 1;
// inpainting_fill 1, "original": the masked part starts from the image, so the edit changes it rather than
// drawing there from noise.
const FILL_ORIGINAL = 1;

// Stable Diffusion works on 8×8 latent blocks: ask for a multiple of 8, then scale to the exact size.
function multipleOf8(value: number): number {
  return Math.max(64, Math.round(value / 8) * 8);
}

/**
 * A self-hosted Stable Diffusion web UI (POST /sdapi/v1/txt2img and /sdapi/v1/img2img), answering PNGs in
 * base64. It has no content policy of its own: its errors are 422 for a bad request and 500 for a failed run
 * (out of memory, say).
 */
export function createAutomatic1111(config: Automatic1111Config): Automatic1111 {
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const credentials =
    config.auth && Buffer.from(`${config.auth.username}:${config.auth.password}`).toString("base64");
  const authorization: Record<string, string> = credentials ? { Authorization: `Basic ${credentials}` } : {};
  const secrets = credentials ? [credentials, config.auth!.password] : [];
  let inFlight = 0;

  // The web UI goes on drawing after its client hangs up. POST /sdapi/v1/interrupt (its Interrupt button) stops
  // the image it is drawing now, whoever asked for it: so it is sent only when the aborted request is the only
  // one of ours in flight, and is then the one being drawn (on a web UI that serves this engine alone).
  async function interrupt(): Promise<void> {
    await providerFetch(
      joinUrl(config.baseUrl, "/sdapi/v1/interrupt"),
      { method: "POST", headers: authorization },
      { signal: new AbortController().signal, timeoutMs: INTERRUPT_TIMEOUT_MS, provider: PROVIDER },
    ).catch(() => undefined);
  }

  // A generation POST (txt2img or img2img) that interrupts the web UI when the job aborts while it draws.
  async function post(path: string, body: string, signal: AbortSignal) {
    throwIfAborted(signal); // nothing was sent: nothing to interrupt
    inFlight++;
    try {
      return await providerFetch(
        joinUrl(config.baseUrl, path),
        { method: "POST", headers: { "Content-Type": "application/json", ...authorization }, body },
        { signal, timeoutMs, provider: PROVIDER },
      );
    } catch (error) {
      if (signal.aborted && inFlight === 1) await interrupt();
      throw error;
    } finally {
      inFlight--;
    }
  }

  // Both answer { images: [base64 PNG, …] }; the first is the image, fitted to the asked size.
  async function draw(
    path: string,
    body: Record<string, unknown>,
    request: Automatic1111ImageRequest,
    ctx: GenerateContext,
  ): Promise<GeneratedFile[]> {
    const response = await post(path, JSON.stringify(body), ctx.signal);
    // 401: --api-auth credentials missing or wrong; 404: the web UI runs without --api.
    if (!response.ok) {
      throw failureFromResponse(response, {
        provider: PROVIDER,
        secrets,
        accountProblem: accountProblemByStatus,
      });
    }
    const answer = jsonBody(response, PROVIDER);
    if (!isRecord(answer) || !Array.isArray(answer.images)) throw malformed(PROVIDER, "images is missing");
    const image = decodeBase64Image(answer.images[0], PROVIDER, "images[0]");
    ctx.onProgress?.(0.9);
    return [await fitImage(image, { ...request, format: "png" }, PROVIDER)];
  }

  // What both requests carry.
  const common = (request: Automatic1111ImageRequest) => ({
    prompt: request.prompt,
    ...(request.negativePrompt && { negative_prompt: request.negativePrompt }),
    width: multipleOf8(request.width),
    height: multipleOf8(request.height),
    seed: request.seed,
    steps: config.steps ?? DEFAULT_STEPS,
  });

  return {
    generate: (request, ctx) => draw("/sdapi/v1/txt2img", common(request), request, ctx),
    async imageToImage(request, ctx) {
      const image = await inputAsPng(request.image, INPUT_SIDES);
      const mask = request.mask && (await maskAsWhiteToChange(request.mask, image));
      const body = {
        ...common(request),
        init_images: [image.data.toString("base64")],
        denoising_strength: Math.min(1, Math.max(0, request.strength)),
        resize_mode: CROP_AND_RESIZE,
        // The whole picture is redrawn, the mask's black part kept (not only the masked region at full size).
        ...(mask && {
          mask: mask.toString("base64"),
          inpainting_fill: FILL_ORIGINAL,
          inpaint_full_res: false,
        }),
      };
      return draw("/sdapi/v1/img2img", body, request, ctx);
    },
  };
}
