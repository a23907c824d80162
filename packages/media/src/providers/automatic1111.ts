import { type GenerateContext, type GeneratedFile, throwIfAborted } from "../generator";
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

export interface Automatic1111 {
  generate(request: Automatic1111ImageRequest, ctx: GenerateContext): Promise<GeneratedFile[]>;
}

const PROVIDER = "AUTOMATIC1111";
const DEFAULT_TIMEOUT_MS = 300_000;
const DEFAULT_STEPS = 20;
const INTERRUPT_TIMEOUT_MS = 1_000;

// Stable Diffusion works on 8×8 latent blocks: ask for a multiple of 8, then scale to the exact size.
function multipleOf8(value: number): number {
  return Math.max(64, Math.round(value / 8) * 8);
}

/**
 * A self-hosted Stable Diffusion web UI (POST /sdapi/v1/txt2img), answering PNGs in base64. It has no content
 * policy of its own: its errors are 422 for a bad request and 500 for a failed run (out of memory, say).
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

  // A txt2img POST that interrupts the web UI when the job aborts while it draws.
  async function txt2img(body: string, signal: AbortSignal) {
    throwIfAborted(signal); // nothing was sent: nothing to interrupt
    inFlight++;
    try {
      return await providerFetch(
        joinUrl(config.baseUrl, "/sdapi/v1/txt2img"),
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

  return {
    async generate(request, ctx) {
      const response = await txt2img(
        JSON.stringify({
          prompt: request.prompt,
          ...(request.negativePrompt && { negative_prompt: request.negativePrompt }),
          width: multipleOf8(request.width),
          height: multipleOf8(request.height),
          seed: request.seed,
          steps: config.steps ?? DEFAULT_STEPS,
        }),
        ctx.signal,
      );
      // 401: --api-auth credentials missing or wrong; 404: the web UI runs without --api.
      if (!response.ok) {
        throw failureFromResponse(response, {
          provider: PROVIDER,
          secrets,
          accountProblem: accountProblemByStatus,
        });
      }
      const body = jsonBody(response, PROVIDER);
      if (!isRecord(body) || !Array.isArray(body.images)) throw malformed(PROVIDER, "images is missing");
      const image = decodeBase64Image(body.images[0], PROVIDER, "images[0]");
      ctx.onProgress?.(0.9);
      return [await fitImage(image, { ...request, format: "png" }, PROVIDER)];
    },
  };
}
