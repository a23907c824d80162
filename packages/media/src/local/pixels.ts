import { type Canvas, createCanvas, ImageData, type SKRSContext2D } from "@napi-rs/canvas";

/** Straight RGBA pixels as a canvas, to draw with drawImage. */
export function canvasOf(rgba: Buffer, width: number, height: number): Canvas {
  const canvas = createCanvas(width, height);
  const clamped = new Uint8ClampedArray(rgba.buffer, rgba.byteOffset, width * height * 4);
  canvas.getContext("2d").putImageData(new ImageData(clamped, width, height), 0, 0);
  return canvas;
}

/**
 * Draws `image` to cover the box (scaled to fill it, centred, the overflow cut), shifted by `pan` (−1 to 1 of the
 * overflow each way) and zoomed by `zoom` (1: just covering).
 */
export function drawCover(
  ctx: SKRSContext2D,
  image: Canvas,
  box: { x: number; y: number; width: number; height: number },
  pan = { x: 0, y: 0 },
  zoom = 1,
): void {
  const scale = Math.max(box.width / image.width, box.height / image.height) * zoom;
  const w = image.width * scale;
  const h = image.height * scale;
  const x = box.x + (box.width - w) / 2 + ((w - box.width) / 2) * pan.x;
  const y = box.y + (box.height - h) / 2 + ((h - box.height) / 2) * pan.y;
  ctx.save();
  ctx.beginPath();
  ctx.rect(box.x, box.y, box.width, box.height);
  ctx.clip();
  ctx.drawImage(image, x, y, w, h);
  ctx.restore();
}

/** The image's pixels where the mask is opaque, transparent where the mask is (both straight RGBA, one size). */
export function keptByMask(rgba: Buffer, mask: Buffer, width: number, height: number): Canvas {
  const kept = Buffer.from(rgba);
  for (let i = 3; i < kept.length; i += 4) kept[i] = Math.round((kept[i]! * mask[i]!) / 255);
  return canvasOf(kept, width, height);
}
