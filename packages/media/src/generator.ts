import type { AudioJobInput, ImageJobInput, MediaType, VideoJobInput } from "@mcpmediaengine/contract";

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
  /** Aborted when the job is canceled or the worker shuts down; a generator stops as soon as it can. */
  signal: AbortSignal;
  /** Fraction done, 0 to 1, for progress reporting. */
  onProgress?: (fraction: number) => void;
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
