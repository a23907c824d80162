import type { ImageJobInput, InputImageMode } from "@mcpmediaengine/contract";

/**
 * How far a Stable Diffusion image-to-image job moves from its input image, by the job's mode: the strength
 * Stability's SD 3.5 takes, AUTOMATIC1111's denoising_strength (0 gives the image back, 1 ignores it).
 * - variation: new takes on the image, its composition and colours kept (each of n from its own seed);
 * - edit: the image changed as the prompt says, its layout still recognisable (with a mask, only the masked
 *   part changes: Stability's Inpaint, the web UI's masked img2img);
 * - reference: the prompt drawn with the image as its subject and style, free to recompose.
 */
export const IMAGE_TO_IMAGE_STRENGTH: Readonly<Record<InputImageMode, number>> = {
  variation: 0.35,
  edit: 0.6,
  reference: 0.8,
};

/** The strength for a job's mode (edit when the input names none, as the contract's default). */
export function imageToImageStrength(input: Pick<ImageJobInput, "mode">): number {
  return IMAGE_TO_IMAGE_STRENGTH[input.mode ?? "edit"];
}
