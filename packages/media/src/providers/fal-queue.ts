import type { GenerateContext, GeneratedFile } from "../generator";
import { GenerationAbortedError, TransientGenerationError } from "../generator";
import type { HostedProviderConfig } from "./config";
import { FAL, falFailureRules, outputUrls, type QueuedRequest, queuedRequest, statusOf } from "./fal-answers";
import { failureFromResponse, joinUrl, jsonBody, providerFetch } from "./http";
import { describeImage } from "./image-files";
import { describeVideo } from "./video-files";

export interface FalQueueConfig extends HostedProviderConfig {
  /** How long to wait for the queue to finish a request before canceling it; by default by output (MAX_WAIT_MS). */
  maxWaitMs?: number;
}

export interface FalQueueRequest {
  /** The model's endpoint id, such as "fal-ai/flux-2/turbo". */
  endpoint: string;
  /** The model's input, sent as is. */
  input: Record<string, unknown>;
  output: "image" | "video";
}

export interface FalQueue {
  run(request: FalQueueRequest, ctx: GenerateContext): Promise<GeneratedFile[]>;
}

const BASE_URL = "https://queue.fal.run";
const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_POLL_INTERVAL_MS = 1_000;
// The longest wait for a result: an image takes fal seconds, a clip minutes.
const MAX_WAIT_MS = { image: 5 * 60_000, video: 15 * 60_000 } as const;
// An abort must end the job within about a second, cancel included.
const CANCEL_TIMEOUT_MS = 1_000;

/**
 * fal's queue: submit (POST queue.fal.run/{endpoint}), poll status_url until COMPLETED, read response_url, then
 * download the files it names. Anything that ends the wait early (an abort, maxWaitMs, a failed status check)
 * cancels the request on fal (PUT its cancel_url) before the run settles. Every exchange is bounded by timeoutMs
 * and the wait by maxWaitMs, so a run never hangs.
 */
export function createFalQueue(config: FalQueueConfig): FalQueue {
  const baseUrl = config.baseUrl ?? BASE_URL;
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const pollIntervalMs = config.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const rules = falFailureRules(config.apiKey);
  const auth = { Authorization: `Key ${config.apiKey}` };

  async function call(url: string, init: RequestInit, signal: AbortSignal, ms = timeoutMs, how = rules) {
    const response = await providerFetch(url, init, { signal, timeoutMs: ms, provider: FAL });
    if (!response.ok) throw failureFromResponse(response, how);
    return response;
  }

  async function cancel(queued: QueuedRequest): Promise<void> {
    // Awaited, so the job ends once fal has been told (its concurrency counts the request until then), but
    // briefly and at best effort: fal may already have finished, and the job is over either way.
    await call(
      queued.cancelUrl,
      { method: "PUT", headers: auth },
      new AbortController().signal,
      CANCEL_TIMEOUT_MS,
    ).catch(() => undefined);
  }

  async function waitForCompletion(
    queued: QueuedRequest,
    maxWaitMs: number,
    signal: AbortSignal,
    progress: Progress,
  ) {
    // On the monotonic clock: a wall-clock step neither ends the wait early nor stretches it.
    const deadline = performance.now() + maxWaitMs;
    for (;;) {
      const status = statusOf(await call(queued.statusUrl, { method: "GET", headers: auth }, signal));
      if (status === "COMPLETED") return;
      progress(status === "IN_PROGRESS" ? 0.3 : 0.1);
      if (performance.now() + pollIntervalMs > deadline) {
        throw new TransientGenerationError(`${FAL} did not finish the request within ${maxWaitMs} ms`);
      }
      await delay(pollIntervalMs, signal);
    }
  }

  return {
    async run(request, ctx) {
      const progress = monotonicProgress(ctx);
      const submitted = await call(
        joinUrl(baseUrl, request.endpoint),
        {
          method: "POST",
          headers: { ...auth, "Content-Type": "application/json" },
          body: JSON.stringify(request.input),
        },
        ctx.signal,
        timeoutMs,
        falFailureRules(config.apiKey, "submission"),
      );
      const queued = queuedRequest(submitted, baseUrl, request.endpoint);
      progress(0.05);
      try {
        const maxWaitMs = config.maxWaitMs ?? MAX_WAIT_MS[request.output];
        await waitForCompletion(queued, maxWaitMs, ctx.signal, progress);
      } catch (error) {
        // Whatever ends the wait (abort, deadline, a failed poll), this result will never be read: cancel it so
        // fal does not go on running and billing it.
        await cancel(queued);
        throw error;
      }
      progress(0.8);

      const result = await call(queued.responseUrl, { method: "GET", headers: auth }, ctx.signal);
      const files: GeneratedFile[] = [];
      for (const url of outputUrls(jsonBody(result, FAL), request.output)) {
        // Output files are public CDN links: the key is not sent with the download.
        const data = (await call(url, { method: "GET" }, ctx.signal)).body;
        files.push(request.output === "image" ? await describeImage(data, FAL) : describeVideo(data, FAL));
      }
      progress(0.95);
      return files;
    },
  };
}

type Progress = (fraction: number) => void;

function monotonicProgress(ctx: GenerateContext): Progress {
  let reported = 0;
  return (fraction) => {
    if (fraction <= reported) return;
    reported = fraction;
    ctx.onProgress?.(fraction);
  };
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(GenerationAbortedError.from(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(GenerationAbortedError.from(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
