import { setTimeout as sleep } from "node:timers/promises";
import {
  GenerationAbortedError,
  type Generator,
  TransientGenerationError,
  throwIfAborted,
  untilAborted,
} from "../generator";

/** At most `limit` calls at once; the rest wait their turn in order. */
export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(readonly limit: number) {}

  async acquire(signal?: AbortSignal): Promise<() => void> {
    throwIfAborted(signal);
    if (this.active >= this.limit) {
      await new Promise<void>((resolve, reject) => {
        const wake = () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        };
        const onAbort = () => {
          this.waiting.splice(this.waiting.indexOf(wake), 1);
          reject(GenerationAbortedError.from(signal!));
        };
        this.waiting.push(wake);
        signal?.addEventListener("abort", onAbort, { once: true });
      });
    } else {
      this.active++;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    };
  }
}

/**
 * A provider's generator held to the provider's concurrency (the semaphore is shared by every model of the
 * provider, so a batch cannot send more requests at once than the operator allows), retrying in place when the
 * provider names a short wait (429 or 503 with Retry-After up to `maxInlineWaitMs`). The slot is given back while
 * it waits. Longer waits, and failures without one, go back to the queue and its backoff.
 */
export function throttled<G extends Generator>(
  generator: G,
  semaphore: Semaphore,
  options: { maxInlineWaitMs?: number; maxInlineRetries?: number } = {},
): G {
  const maxWait = options.maxInlineWaitMs ?? 30_000;
  const maxRetries = options.maxInlineRetries ?? 2;
  return {
    ...generator,
    generate: (input: never, ctx) =>
      // Whatever the abort broke on the way (a request, the wait below) ends as GenerationAbortedError.
      untilAborted(ctx.signal, async () => {
        for (let retry = 0; ; retry++) {
          const release = await semaphore.acquire(ctx.signal);
          try {
            return await generator.generate(input, ctx);
          } catch (error) {
            const wait = error instanceof TransientGenerationError ? error.retryAfterMs : undefined;
            if (wait === undefined || wait > maxWait || retry >= maxRetries) throw error;
            release();
            await sleep(wait, undefined, { signal: ctx.signal });
          } finally {
            release();
          }
        }
      }),
  } as G;
}
