import type { ImageJobInput, ImagePresetId } from "@mcpmediaengine/contract";
import { type Canvas, createCanvas } from "@napi-rs/canvas";
import { type GeneratedFile, type Generator, throwIfAborted, untilAborted } from "../generator";
import { renderFromImages, variations } from "../local/studio-inputs";
import { encodeImage, MIME_TYPES } from "./encode";
import { registerScriptFonts } from "./fonts";
import { choosePalette } from "./palette";
import { parseScene } from "./prompt/parse-scene";
import type { SceneSpec } from "./prompt/scene-spec";
import { createRandom } from "./random";
import { drawBlogThumbnail } from "./scenes/blog-thumbnail";
import { drawLandscape } from "./scenes/landscape";
import { drawProductShot } from "./scenes/product-shot";
import type { Scene } from "./scenes/scene";
import { drawSocialPost } from "./scenes/social-post";

export const LOCAL_STUDIO_MODEL = "local-studio";

/** Where the eye goes in a picture (its sun, say), in fractions of its width and height. */
export interface Focus {
  x: number;
  y: number;
}

const SCENES: Record<ImagePresetId, (scene: Scene) => void> = {
  blog_thumbnail: drawBlogThumbnail,
  social_post: drawSocialPost,
  product_shot: drawProductShot,
};

/**
 * Draws one image with Skia. Pure: the same input (and background image) gives the same pixels. `background` is
 * the customer's image a card is laid over; `backgroundKeep`, with an edit's mask, what of it stays unchanged.
 */
export function drawImage(
  input: Omit<ImageJobInput, "format">,
  background?: Canvas,
  backgroundKeep?: Canvas,
): Canvas {
  return drawScene(input, background, backgroundKeep).canvas;
}

/** Draws one image and says what it shows: the parsed scene and its focus (local-motion aims its camera there). */
export function drawScene(
  input: Omit<ImageJobInput, "format">,
  background?: Canvas,
  backgroundKeep?: Canvas,
): {
  canvas: Canvas;
  spec: SceneSpec;
  focus: Focus;
} {
  const { width, height, prompt, seed } = input;
  const spec = parseScene(prompt);
  registerScriptFonts(spec.scripts, prompt);
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext("2d");
  const random = createRandom(seed, `${input.preset ?? "none"}:${prompt}`);
  const palette = choosePalette(prompt, random, spec);
  const scene: Scene = {
    ctx,
    width,
    height,
    prompt,
    random,
    palette,
    spec,
    ...(background && { background }),
    ...(backgroundKeep && { backgroundKeep }),
  };
  // The free-size image is the landscape; only it has a focus away from the centre (its sun or moon).
  if (!input.preset) return { canvas, spec, focus: drawLandscape(scene) };
  SCENES[input.preset](scene);
  return { canvas, spec, focus: { x: 0.5, y: 0.5 } };
}

/** Draws one image and encodes it with sharp: the same input gives the same bytes. */
export async function renderImage(input: ImageJobInput): Promise<Buffer> {
  const canvas = drawImage(input);
  const pixels = Buffer.from(
    canvas.getContext("2d").getImageData(0, 0, input.width, input.height).data.buffer,
  );
  return encodeImage(pixels, input.width, input.height, input.format);
}

/** Our offline image model: typeset cards, social posts, product shots and landscapes, drawn on this machine. */
export function createLocalStudioGenerator(): Generator<"image"> {
  return {
    model: LOCAL_STUDIO_MODEL,
    type: "image",
    generate: (input, { signal, images }) =>
      untilAborted(signal, async (): Promise<GeneratedFile[]> => {
        // Neither Skia's drawing (synchronous, tens of milliseconds) nor sharp's encode can be interrupted: an
        // abort meanwhile is honoured when the encode returns (under a second at 2048×2048, see encode.ts).
        // n images, each from the next seed; with input images they are drawn from them (local/studio-inputs.ts).
        const files: GeneratedFile[] = [];
        for (const each of variations(input)) {
          throwIfAborted(signal);
          const data = images?.inputs.length ? await renderFromImages(each, images) : await renderImage(each);
          files.push({
            data,
            mimeType: MIME_TYPES[input.format],
            extension: input.format,
            width: input.width,
            height: input.height,
          });
        }
        return files;
      }),
  };
}
