import sharp from "sharp";
import type { InputImage } from "../inputs/input-image";

/** An input image as a provider is sent it. */
export interface ProviderInput {
  /** PNG bytes. */
  data: Buffer;
  width: number;
  height: number;
}

/**
 * An input image as a PNG at its shown orientation (EXIF applied), scaled so its long side is at most `maxSide`
 * and its short side at least `minSide`: an 8000 px photo is no use to a 1-megapixel model and would pass a
 * provider's request size limit, and a provider refuses a side under its minimum.
 */
export async function inputAsPng(
  image: InputImage,
  { maxSide, minSide }: { maxSide: number; minSide: number },
): Promise<ProviderInput> {
  const { width, height } = image;
  let scale = Math.min(1, maxSide / Math.max(width, height));
  if (Math.min(width, height) * scale < minSide) scale = minSide / Math.min(width, height);
  const size = {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
  const data = await sharp(image.data)
    .rotate()
    .resize(size.width, size.height, { fit: "fill" })
    .png()
    .toBuffer();
  return { data, ...size };
}

/**
 * An edit's mask as Stability's inpaint and AUTOMATIC1111 read one: a grayscale PNG, white where the image may
 * change and black where it stays. Ours (OpenAI's convention, the contract's) marks what may change by
 * transparency, so white is where the mask is transparent. Made at the size of the image it goes with.
 */
export async function maskAsWhiteToChange(
  mask: InputImage,
  size: { width: number; height: number },
): Promise<Buffer> {
  const alpha = await sharp(mask.data)
    .rotate()
    .resize(size.width, size.height, { fit: "fill" })
    .ensureAlpha()
    .extractChannel(3)
    .raw()
    .toBuffer();
  for (let i = 0; i < alpha.length; i++) alpha[i] = 255 - alpha[i]!;
  return sharp(alpha, { raw: { width: size.width, height: size.height, channels: 1 } })
    .toColourspace("b-w")
    .png()
    .toBuffer();
}
