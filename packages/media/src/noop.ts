import { type GeneratedFile, type Generator, throwIfAborted } from "./generator";

// The smallest valid PNG (1×1, transparent). Benchmarks use it to measure the pipeline without drawing.
const ONE_PIXEL_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

/** A generator that draws nothing: for benchmarks of the queue and for tests of the job life cycle. */
export function createNoopGenerator(model = "noop"): Generator<"image"> {
  return {
    model,
    type: "image",
    async generate(_input, { signal }): Promise<GeneratedFile[]> {
      throwIfAborted(signal);
      return [{ data: ONE_PIXEL_PNG, mimeType: "image/png", extension: "png", width: 1, height: 1 }];
    },
  };
}
