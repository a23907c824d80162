import { randomInt } from "node:crypto";
import {
  IMAGE_PRESETS,
  IMAGE_SIZE_LIMITS,
  type ImageJobInput,
  type ImageJobRequest,
} from "@mcpmediaengine/contract";

/**
 * The input a job runs with: the preset's size and format unless the request names its own, and a seed drawn
 * now when none was given, so the stored input alone reproduces the same bytes.
 */
export function resolveImageInput(request: ImageJobRequest): ImageJobInput {
  const preset = request.preset ? IMAGE_PRESETS[request.preset] : undefined;
  return {
    prompt: request.prompt,
    preset: request.preset ?? null,
    width: request.width ?? preset?.width ?? IMAGE_SIZE_LIMITS.defaultWidth,
    height: request.height ?? preset?.height ?? IMAGE_SIZE_LIMITS.defaultHeight,
    format: request.format ?? preset?.format ?? "png",
    seed: request.seed ?? randomInt(0, 2 ** 31 - 1),
  };
}
