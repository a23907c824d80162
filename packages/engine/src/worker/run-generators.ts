import { AudioJobInput, ImageJobInput, type MediaType, VideoJobInput } from "@mcpmediaengine/contract";
import {
  type GeneratedFile,
  type Generator,
  type InputOf,
  observeProviderCalls,
  PermanentGenerationError,
  ProviderAccountError,
  type ProviderCall,
  type RunImages,
  TransientGenerationError,
} from "@mcpmediaengine/media";

const INPUT_SCHEMAS = { image: ImageJobInput, video: VideoJobInput, audio: AudioJobInput } as const;

/** A job's stored input, read back as its media type's resolved input. */
export function readJobInput<T extends MediaType>(type: T, stored: unknown): InputOf<T> {
  return INPUT_SCHEMAS[type].parse(stored) as InputOf<T>;
}

export interface Served {
  files: GeneratedFile[];
  generator: Generator;
}

/**
 * Runs the job's model; when that fails transiently and the operator gave the model fallbacks, the job moves on
 * to them in order within the same attempt (from `fallbackFromAttempt` on, so one blip of the first provider
 * only costs a retry). A provider refusing us (ProviderAccountError: a bad key, a used-up quota, a retired model)
 * hands the job on at once, whatever the attempt, and the rest of the chain skips that provider. A permanent
 * failure of the job itself (bad input, a content-policy refusal) is never retried elsewhere: the same prompt
 * would be refused again. When the chain ends and some model failed transiently, the first transient error is
 * thrown so the queue retries the job with its backoff; when every model refused, the first refusal fails it.
 */
export async function runWithFallbacks(args: {
  primary: Generator;
  fallbacks: Generator[];
  input: unknown;
  /** The job's input images, read from its uploads. */
  images?: RunImages;
  attempt: number;
  fallbackFromAttempt: number;
  signal: AbortSignal;
  onProgress: (fraction: number) => void;
  onFallback?: (from: Generator, to: Generator, error: Error) => void;
  onAccountProblem?: (generator: Generator, error: ProviderAccountError) => void;
  /** Each HTTP request a hosted generator makes, with the generator that made it. */
  onProviderCall?: (generator: Generator, call: ProviderCall) => void;
}): Promise<Served> {
  const refusedBy = new Set<string | undefined>();
  let firstTransient: unknown;
  let firstRefusal: ProviderAccountError | undefined;
  const chain = [args.primary, ...args.fallbacks];
  for (const [index, generator] of chain.entries()) {
    // Fallbacks are for a transient failure only from fallbackFromAttempt on; a refusal always hands on.
    if (index > 0 && firstRefusal === undefined && args.attempt < args.fallbackFromAttempt) break;
    if (refusedBy.has(generator.provider)) continue;
    try {
      const generate = () =>
        generator.generate(args.input as never, {
          signal: args.signal,
          onProgress: args.onProgress,
          ...(args.images && { images: args.images }),
        });
      // Only hosted generators make provider requests: local ones run without the observer's async context.
      const hosted = generator.provider !== undefined && generator.provider !== "local";
      const files = await (hosted
        ? observeProviderCalls((call) => args.onProviderCall?.(generator, call), generate)
        : generate());
      return { files, generator };
    } catch (error) {
      if (args.signal.aborted) throw error;
      if (error instanceof ProviderAccountError) {
        args.onAccountProblem?.(generator, error);
        refusedBy.add(generator.provider);
        firstRefusal ??= error;
      } else if (error instanceof PermanentGenerationError) {
        throw error;
      } else {
        firstTransient ??= error;
      }
      const next = chain.slice(index + 1).find((g) => !refusedBy.has(g.provider));
      const handsOn = firstRefusal !== undefined || args.attempt >= args.fallbackFromAttempt;
      if (next && handsOn && error instanceof Error) args.onFallback?.(generator, next, error);
    }
  }
  if (firstTransient === undefined && firstRefusal) throw firstRefusal;
  throw firstTransient instanceof Error
    ? firstTransient
    : new TransientGenerationError(`Generation failed: ${String(firstTransient)}`);
}

/**
 * Progress as a worker should write it: at most every `intervalMs`, only forward, and one write at a time (a slow
 * write never queues up behind the encoder).
 */
export function throttledProgress(write: (fraction: number) => Promise<void>, intervalMs = 250) {
  let last = 0;
  let lastAt = 0;
  let writing = false;
  return (fraction: number) => {
    const now = Date.now();
    if (writing || fraction <= last || now - lastAt < intervalMs) return;
    last = fraction;
    lastAt = now;
    writing = true;
    write(fraction)
      .catch(() => undefined) // progress is advisory; the job's outcome is written elsewhere
      .finally(() => {
        writing = false;
      });
  };
}
