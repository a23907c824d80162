import type { ImageJobInput } from "@mcpmediaengine/contract";
import { type Canvas, createCanvas } from "@napi-rs/canvas";
import { encodeImage } from "../image/encode";
import { registerScriptFonts } from "../image/fonts";
import { drawImage } from "../image/local-studio";
import { choosePalette } from "../image/palette";
import { parseScene } from "../image/prompt/parse-scene";
import { createRandom } from "../image/random";
import type { Scene } from "../image/scenes/scene";
import { decodeImage, type RunImages } from "../inputs/input-image";
import { cutByMask, cutOut } from "./cutout";
import { drawRestyled } from "./input-background";
import { canvasOf, keptByMask } from "./pixels";
import { drawProductPlacement } from "./placement";

const MAX_SEED = 2 ** 31 - 1;

/** The job's n images as inputs of one image each: the same input with seed, seed+1, … (wrapping at 2^31−1). */
export function variations(input: ImageJobInput): ImageJobInput[] {
  return Array.from({ length: input.n ?? 1 }, (_, i) => ({
    ...input,
    n: 1,
    seed: (input.seed + i) % MAX_SEED,
  }));
}

/**
 * One image drawn from the job's first input image, by preset: product_shot places the product (cut from a flat
 * background, or kept transparent) on the studio sweep; blog_thumbnail and social_post take the image as their
 * background; without a preset it is restyled (mode variation frames it more freely). Deterministic: the same
 * image, input and seed give the same bytes.
 */
export async function renderFromImages(input: ImageJobInput, images: RunImages): Promise<Buffer> {
  const first = images.inputs[0]!;
  const decoded = await decodeImage(first, 2048);
  // The mask is the first image's size, so both decode to the same pixels' grid.
  const mask = images.mask && (await decodeImage(images.mask, 2048)).rgba;
  const canvas = drawFromImage(input, decoded, mask);
  const pixels = Buffer.from(
    canvas.getContext("2d").getImageData(0, 0, input.width, input.height).data.buffer,
  );
  return encodeImage(pixels, input.width, input.height, input.format);
}

/**
 * An edit's mask (transparent where the image may change) keeps the rest: a product_shot's product is what the
 * mask keeps (its transparent part is the background the sweep replaces); a card or a restyle shows the kept part
 * as it was over what it changes.
 */
function drawFromImage(
  input: ImageJobInput,
  image: { rgba: Buffer; width: number; height: number },
  mask?: Buffer,
): Canvas {
  const keep = mask && keptByMask(image.rgba, mask, image.width, image.height);
  if (input.preset === "blog_thumbnail" || input.preset === "social_post")
    return drawImage(input, canvasOf(image.rgba, image.width, image.height), keep);
  const { width, height, prompt, seed } = input;
  // The prompt's scene still sets the palette (its mood and named colours) around the customer's image.
  const spec = parseScene(prompt);
  registerScriptFonts(spec.scripts, prompt);
  const canvas = createCanvas(width, height);
  const random = createRandom(seed, `input:${input.preset ?? "none"}:${prompt}`);
  const scene: Scene = {
    ctx: canvas.getContext("2d"),
    width,
    height,
    prompt,
    random,
    palette: choosePalette(prompt, random, spec),
    spec,
  };
  if (input.preset === "product_shot")
    drawProductPlacement(
      scene,
      mask
        ? cutByMask(image.rgba, mask, image.width, image.height)
        : cutOut(image.rgba, image.width, image.height),
    );
  else drawRestyled(scene, canvasOf(image.rgba, image.width, image.height), input.mode ?? "edit", keep);
  return canvas;
}
