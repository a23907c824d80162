import type { ImageJobInput, ImagePresetId } from "@mcpmediaengine/contract";
import { type Canvas, createCanvas } from "@napi-rs/canvas";
import { type GeneratedFile, type Generator, throwIfAborted, untilAborted } from "../generator";
import { renderFromImages, variations } from "../local/studio-inputs";
import { encodeImage, MIME_TYPES } from "./encode";
import { registerFonts } from "./fonts";
import { choosePalette } from "./palette";
import { createRandom } from "./random";
import { drawBlogThumbnail } from "./scenes/blog-thumbnail";
import { drawLandscape } from "./scenes/landscape";
import { drawProductShot } from "./scenes/product-shot";
import type { Scene } from "./scenes/scene";
import { drawSocialPost } from "./scenes/social-post";

export const LOCAL_STUDIO_MODEL = "local-studio";

const SCENES: Record<ImagePresetId | "none", (scene: Scene) => void> = {
  blog_thumbnail: drawBlogThumbnail,
  social_post: drawSocialPost,
  product_shot: drawProductShot,
  none: drawLandscape,
};

/** Draws one image with Skia. Pure: the same input (and background image) gives the same pixels. */
export function drawImage(
  input: Omit<ImageJobInput, "format">,
  background?: Canvas,
  backgroundKeep?: Canvas,
): Canvas {
  registerFonts();
  const { width, height, prompt, seed } = input;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext("2d");
  const random = createRandom(seed, `${input.preset ?? "none"}:${prompt}`);
  const palette = choosePalette(prompt, random);
  SCENES[input.preset ?? "none"]({
    ctx,
    width,
    height,
    prompt,
    random,
    palette,
    ...(background && { background }),
    ...(backgroundKeep && { backgroundKeep }),
  });
  return canvas;
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
