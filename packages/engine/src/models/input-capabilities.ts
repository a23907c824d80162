import { AppError, findModel, type JobRequest, modelInputs } from "@mcpmediaengine/contract";

/**
 * What a job asks beyond a prompt that its model cannot do: input images (or their mode, or as many), a mask, a
 * negativePrompt, more images than it makes, a still to animate. 422 `unsupported_input` naming what the model
 * takes, at submission, never a failure later. Models outside the catalog (dev models) take none of it.
 */
export function checkRequestInputs(model: string, request: JobRequest): void {
  const can = modelInputs(findModel(model));
  const refuse = (message: string) => {
    throw new AppError("unsupported_input", `${model}: ${message}`, { model, inputs: can });
  };
  if (request.type === "video") {
    if (request.inputImage && !can.imageToVideo)
      refuse("cannot animate a given still (inputImage); local-motion can.");
    return;
  }
  if (request.type !== "image") return;
  const mode = request.mode ?? "edit";
  if (request.inputImages) {
    if (can.imageModes.length === 0) refuse("takes no input images.");
    if (!can.imageModes.includes(mode))
      refuse(`cannot use input images in mode ${mode}; it takes ${can.imageModes.join(", ")}.`);
    if (request.inputImages.length > can.maxInputImages)
      refuse(`takes at most ${can.maxInputImages} input image${can.maxInputImages === 1 ? "" : "s"}.`);
  }
  if (request.mask && !can.mask) refuse("takes no mask.");
  if (request.negativePrompt && !can.negativePrompt) refuse("takes no negativePrompt.");
  if ((request.n ?? 1) > can.maxImages)
    refuse(`makes at most ${can.maxImages} image${can.maxImages === 1 ? "" : "s"} a job (n).`);
}

/**
 * Whether a model can serve a job's resolved input (its images, mask, negativePrompt, n): a fallback that cannot
 * is skipped, rather than make something else than was asked (a prompt-only image for an edit).
 */
export function canServe(model: string, input: unknown): boolean {
  const can = modelInputs(findModel(model));
  const job = input as {
    inputImages?: unknown[];
    mode?: string;
    mask?: unknown;
    negativePrompt?: string;
    n?: number;
    inputImage?: unknown;
  };
  if (job.inputImage && !can.imageToVideo) return false;
  if (
    job.inputImages &&
    (!can.imageModes.includes(job.mode as never) || job.inputImages.length > can.maxInputImages)
  )
    return false;
  if (job.mask && !can.mask) return false;
  if (job.negativePrompt && !can.negativePrompt) return false;
  return (job.n ?? 1) <= can.maxImages;
}
