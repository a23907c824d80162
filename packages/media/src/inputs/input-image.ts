import sharp from "sharp";

/** An image a job starts from, as the engine hands it to a generator: the upload's bytes and what they are. */
export interface InputImage {
  data: Buffer;
  mimeType: "image/png" | "image/jpeg" | "image/webp";
  width: number;
  height: number;
}

/** The images of one run: the job's input images in order, and an edit's mask. */
export interface RunImages {
  inputs: InputImage[];
  mask?: InputImage;
}

/** The format an image's first bytes name, of the three we take; undefined for anything else. */
export function sniffImageType(data: Buffer): InputImage["mimeType"] | undefined {
  if (
    data.length >= 8 &&
    data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  )
    return "image/png";
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return "image/jpeg";
  if (
    data.length >= 12 &&
    data.toString("latin1", 0, 4) === "RIFF" &&
    data.toString("latin1", 8, 12) === "WEBP"
  )
    return "image/webp";
  return undefined;
}

/**
 * What an uploaded file is: its format from its bytes (never from what the sender said) and its size in pixels
 * from its header, as the image is shown (EXIF orientation applied). Undefined when it is not a PNG, JPEG or WebP
 * that sharp can read.
 */
export async function probeImage(data: Buffer): Promise<Omit<InputImage, "data"> | undefined> {
  const mimeType = sniffImageType(data);
  if (!mimeType) return undefined;
  try {
    const meta = await sharp(data, { failOn: "error" }).metadata();
    if (!meta.width || !meta.height) return undefined;
    const turned = (meta.orientation ?? 1) >= 5;
    return {
      mimeType,
      width: turned ? meta.height : meta.width,
      height: turned ? meta.width : meta.height,
    };
  } catch {
    return undefined;
  }
}

/**
 * The image's pixels as straight RGBA at its shown orientation, optionally scaled to fit within `maxSide` (a
 * product photo of 8000 px is no use at 1024): the starting point of every local drawing with an input.
 */
export async function decodeImage(
  image: InputImage,
  maxSide = 2048,
): Promise<{ rgba: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(image.data)
    .rotate()
    .resize({ width: maxSide, height: maxSide, fit: "inside", withoutEnlargement: true })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { rgba: data, width: info.width, height: info.height };
}
