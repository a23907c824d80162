import {
  createNoopGenerator,
  GenerationAbortedError,
  type Generator,
  PermanentGenerationError,
} from "@mcpmediaengine/media";

/**
 * Models for benchmarks and tests of the job life cycle, enabled only by MME_DEV_MODELS=1. `dev-noop` returns a
 * 1×1 PNG at once; `dev-sleep` waits the milliseconds named in its prompt ("sleep 3000"), then does the same, so a
 * test can catch a job mid-run; `dev-fail` fails at once, for good, with its prompt as the message.
 */
export function devGenerators(): Generator[] {
  const noop = createNoopGenerator("dev-noop");
  const sleep: Generator<"image"> = {
    model: "dev-sleep",
    type: "image",
    async generate(input, ctx) {
      const ms = Math.min(Number(/(\d+)/.exec(input.prompt)?.[1] ?? 1000), 600_000);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, ms);
        ctx.signal.addEventListener("abort", () => {
          clearTimeout(timer);
          reject(GenerationAbortedError.from(ctx.signal));
        });
      });
      return noop.generate(input, ctx);
    },
  };
  const fail: Generator<"image"> = {
    model: "dev-fail",
    type: "image",
    async generate(input) {
      throw new PermanentGenerationError("generation_failed", input.prompt);
    },
  };
  return [noop, sleep, fail];
}
