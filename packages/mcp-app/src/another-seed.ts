import type { Job } from "@mcpmediaengine/contract";

/** A seed the engine accepts (0 to 2^31 − 1) and the job did not use. */
export function newSeed(old: number): number {
  const values = new Uint32Array(1);
  crypto.getRandomValues(values);
  const seed = values[0]! % 2 ** 31;
  return seed === old ? (seed + 1) % 2 ** 31 : seed;
}

/**
 * The generate tool and arguments that make the job again with another seed: the job's resolved input, minus
 * what the request derives itself (an image preset fixes its size; a clip's size follows its aspect ratio).
 */
export function anotherSeed(job: Job): { name: string; arguments: Record<string, unknown> } {
  const input = job.input as Record<string, unknown>;
  const seed = newSeed(Number(input.seed));
  const common = { prompt: input.prompt, model: job.model, format: input.format, seed };
  if (job.type === "image") {
    const size = input.preset ? { preset: input.preset } : { width: input.width, height: input.height };
    return { name: "generate_image", arguments: { ...common, ...size } };
  }
  if (job.type === "video") {
    const voiceover = input.voiceover as { script: string; voice: string } | null;
    return {
      name: "generate_video",
      arguments: {
        ...common,
        durationSeconds: input.durationSeconds,
        aspectRatio: input.aspectRatio,
        ...(voiceover && { voiceover }),
      },
    };
  }
  return {
    name: "generate_audio",
    arguments: {
      ...common,
      preset: input.preset,
      voice: input.voice,
      speed: input.speed,
      pitch: input.pitch,
    },
  };
}
