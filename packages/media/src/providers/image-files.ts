import sharp, { type Metadata } from "sharp";
import type { GeneratedFile } from "../generator";
import { malformed } from "./http";

export type OutputImageFormat = "png" | "webp" | "jpeg";

const IMAGE_MIME_TYPES: Record<string, string> = {
  png: "image/png",
  webp: "image/webp",
  jpeg: "image/jpeg",
  gif: "image/gif",
  avif: "image/avif",
};

/** Decodes base64 image data, with or without a `data:image/...;base64,` prefix. */
export function decodeBase64Image(value: unknown, provider: string, field: string): Buffer {
  if (typeof value !== "string" || value.length === 0) throw malformed(provider, `${field} is missing`);
  const data = Buffer.from(value.replace(/^data:[^,]*,/, ""), "base64");
  if (data.length === 0) throw malformed(provider, `${field} is not base64 image data`);
  return data;
}

/**
 * Scales a provider's image to exactly width×height (cover: fills the frame, crops the overflow) and encodes it
 * in the asked format. Providers only offer a few sizes; the job asked for this one.
 */
export async function fitImage(
  data: Buffer,
  target: { width: number; height: number; format: OutputImageFormat },
  provider: string,
): Promise<GeneratedFile> {
  let pipeline = sharp(data).resize(target.width, target.height, { fit: "cover", position: "centre" });
  switch (target.format) {
    case "png":
      pipeline = pipeline.png({ compressionLevel: 8 });
      break;
    case "webp":
      pipeline = pipeline.webp({ quality: 90 });
      break;
    case "jpeg":
      pipeline = pipeline.flatten({ background: "#ffffff" }).jpeg({ quality: 90, mozjpeg: true });
      break;
  }
  let output: Buffer;
  try {
    output = await pipeline.toBuffer();
  } catch (error) {
    throw malformed(provider, "the image does not decode", error);
  }
  return {
    data: output,
    mimeType: IMAGE_MIME_TYPES[target.format]!,
    extension: target.format,
    width: target.width,
    height: target.height,
  };
}

/** A provider's image kept as it came, typed from its bytes rather than from what the provider claims. */
export async function describeImage(data: Buffer, provider: string): Promise<GeneratedFile> {
  let metadata: Metadata;
  try {
    metadata = await sharp(data).metadata();
  } catch (error) {
    throw malformed(provider, "the image does not decode", error);
  }
  const format = metadata.format === "heif" ? "avif" : metadata.format;
  const mimeType = IMAGE_MIME_TYPES[format];
  if (!mimeType) throw malformed(provider, `the image is in an unexpected format (${metadata.format})`);
  return { data, mimeType, extension: format, width: metadata.width, height: metadata.height };
}

/** Of a list of width:height ratios, the one nearest to width/height (compared on a log scale). */
export function nearestRatio<T extends { ratio: number }>(width: number, height: number, options: T[]): T {
  const wanted = Math.log(width / height);
  let best = options[0]!;
  for (const option of options) {
    if (Math.abs(Math.log(option.ratio) - wanted) < Math.abs(Math.log(best.ratio) - wanted)) best = option;
  }
  return best;
}
