import type { AudioJobInput, ImageJobInput, MediaType, VideoJobInput } from "@mcpmediaengine/contract";
import type { RunImages } from "./inputs/input-image";

/** One file a generator made. The engine stores it content-addressed and hands out a signed URL. */
export interface GeneratedFile {
  data: Buffer;
  mimeType: string;
  /** File extension without the dot, such as "png". */
  extension: string;
  width?: number;
  height?: number;
  durationMs?: number;
  /** main (the default): the output itself; poster: a still of a video; captions: SRT or WebVTT of speech. */
  role?: "main" | "poster" | "captions";
}

export interface GenerateContext {
  /**
   * Aborted when the job is canceled, runs past its time or the worker shuts down. A generator then stops within
   * about a second and rejects with GenerationAbortedError, only once its work has really stopped (ffmpeg exited,
   * eSpeak's thread ended, HTTP requests closed and the provider's own cancel sent): the engine holds the job's
   * slot until then. A signal aborted before generate() starts rejects at once, with nothing started.
   */
  signal: AbortSignal;
  /** Fraction done, 0 to 1, for progress reporting. */
  onProgress?: (fraction: number) => void;
  /**
   * The bytes of the job's input images (image jobs' inputImages and mask, a video job's inputImage as the only
   * input), read by the engine from its uploads; absent when the job has none.
   */
  images?: RunImages;
}

/** The resolved input a generator of a media type takes. */
export type InputOf<T extends MediaType> = T extends "image"
  ? ImageJobInput
  : T extends "video"
    ? VideoJobInput
    : AudioJobInput;

/** Makes the files of one job. Deterministic generators return the same bytes for the same input. */
export interface Generator<T extends MediaType = MediaType> {
  readonly model: string;
  readonly type: T;
  /** Who runs it: "local", or the provider's name. Recorded on the job as servedBy. */
  readonly provider?: string;
  generate(input: InputOf<T>, ctx: GenerateContext): Promise<GeneratedFile[]>;
}

/**
 * The one way a generator ends when its signal aborts: whatever stage it was in, and whatever the abort broke
 * along the way (a pipe, a request), it rejects with this, the signal's reason as its `cause`. Never retried,
 * never a failure of the job: the engine tells it apart with `instanceof`. Nothing it made is returned, and its
 * temporary files are gone.
 */
export class GenerationAbortedError extends Error {
  constructor(reason?: unknown) {
    const why = reason instanceof Error ? reason.message : reason === undefined ? "" : String(reason);
    super(why ? `Generation aborted: ${why}` : "Generation aborted", { cause: reason });
    this.name = "GenerationAbortedError";
  }

  /** The error for an aborted signal (its reason as is when that already is one). */
  static from(signal: AbortSignal): GenerationAbortedError {
    return signal.reason instanceof GenerationAbortedError
      ? signal.reason
      : new GenerationAbortedError(signal.reason);
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw GenerationAbortedError.from(signal);
}

/**
 * Runs a generator's work so that an abort always ends it the same way. The work is awaited to its end (it must
 * itself stop promptly on the signal), so the promise settles only once nothing runs any more; a result finished
 * after the abort is dropped, and whatever error the abort caused becomes GenerationAbortedError.
 */
export async function untilAborted<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  throwIfAborted(signal);
  let result: T;
  try {
    result = await work();
  } catch (error) {
    throwIfAborted(signal);
    throw error;
  }
  throwIfAborted(signal);
  return result;
}

/** A failure worth retrying later: a provider's 5xx or 429, a timeout, a busy local resource. */
export class TransientGenerationError extends Error {
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options?: { retryAfterMs?: number; cause?: unknown }) {
    super(message, { cause: options?.cause });
    this.name = "TransientGenerationError";
    this.retryAfterMs = options?.retryAfterMs;
  }
}

/** A failure that will happen again however often it is tried: bad input, a content-policy refusal. */
export class PermanentGenerationError extends Error {
  readonly code: "generation_failed" | "content_policy" | "invalid_output" | "provider_error";
  constructor(code: PermanentGenerationError["code"], message: string, options?: { cause?: unknown }) {
    super(message, { cause: options?.cause });
    this.name = "PermanentGenerationError";
    this.code = code;
  }
}

/** What is wrong with our standing at a provider, whatever the job: the operator has to act. */
export type ProviderAccountProblem = "key_refused" | "credit_exhausted" | "access_denied" | "model_not_found";

/**
 * A provider refusing us rather than the job: a bad or revoked key, a used-up quota or balance, access denied,
 * a retired model or endpoint. Retrying on the same provider cannot help until the operator acts, but another
 * provider can serve the job: the engine hands it to the model's fallbacks at once and tells the operator.
 */
export class ProviderAccountError extends PermanentGenerationError {
  readonly provider: string;
  readonly problem: ProviderAccountProblem;
  constructor(provider: string, problem: ProviderAccountProblem, message: string) {
    super("provider_error", message);
    this.name = "ProviderAccountError";
    this.provider = provider;
    this.problem = problem;
  }
}
