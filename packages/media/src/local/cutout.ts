/**
 * The product cut from its photo, as straight RGBA: a photo that already has transparency keeps it; an opaque
 * one whose background is a flat colour (the border nearly one colour) loses that background by a flood from the
 * border, with a soft edge; any other photo is kept whole. Then cropped to what is left. Pure and deterministic.
 */
export interface Cutout {
  rgba: Buffer;
  width: number;
  height: number;
  /** How the background was handled: kept transparency, a cut flat colour, or none (the whole photo). */
  kind: "transparent" | "cut" | "whole";
}

/** Colour distance (RGB, 0 to 441) under which a pixel is the background; the edge fades out up to EDGE. */
const FLAT = 28;
const EDGE = 56;

export function cutOut(rgba: Buffer, width: number, height: number): Cutout {
  const data = Buffer.from(rgba);
  const border = borderPixels(width, height);
  const transparentBorder = border.filter((i) => data[i * 4 + 3]! < 250).length;
  if (transparentBorder > border.length * 0.2) return crop(data, width, height, "transparent");
  const background = medianColour(data, border);
  const near = border.filter((i) => distance(data, i, background) < FLAT).length;
  if (near < border.length * 0.9) return { rgba: data, width, height, kind: "whole" };
  // Flood from the border through pixels near the background colour; only those connected to it are cut, so a
  // white label inside a white product's outline stays.
  const seen = new Uint8Array(width * height);
  const stack: number[] = [];
  for (const i of border) {
    if (distance(data, i, background) < EDGE && !seen[i]) {
      seen[i] = 1;
      stack.push(i);
    }
  }
  while (stack.length > 0) {
    const i = stack.pop()!;
    const d = distance(data, i, background);
    // Fully gone at the background's colour, fading in towards the product's edge.
    const keep = d <= FLAT ? 0 : (d - FLAT) / (EDGE - FLAT);
    data[i * 4 + 3] = Math.round(data[i * 4 + 3]! * keep);
    if (d > FLAT) continue; // an edge pixel: the flood stops here
    const x = i % width;
    const y = (i - x) / width;
    for (const j of [
      x > 0 ? i - 1 : -1,
      x < width - 1 ? i + 1 : -1,
      y > 0 ? i - width : -1,
      y < height - 1 ? i + width : -1,
    ]) {
      if (j < 0 || seen[j]) continue;
      if (distance(data, j, background) < EDGE) {
        seen[j] = 1;
        stack.push(j);
      }
    }
  }
  return crop(data, width, height, "cut");
}

function borderPixels(width: number, height: number): number[] {
  const out: number[] = [];
  for (let x = 0; x < width; x++) out.push(x, (height - 1) * width + x);
  for (let y = 1; y < height - 1; y++) out.push(y * width, y * width + width - 1);
  return out;
}

function medianColour(data: Buffer, pixels: number[]): [number, number, number] {
  const channel = (c: number) => {
    const values = pixels.map((i) => data[i * 4 + c]!).sort((a, b) => a - b);
    return values[values.length >> 1]!;
  };
  return [channel(0), channel(1), channel(2)];
}

function distance(data: Buffer, i: number, [r, g, b]: [number, number, number]): number {
  const dr = data[i * 4]! - r;
  const dg = data[i * 4 + 1]! - g;
  const db = data[i * 4 + 2]! - b;
  return Math.sqrt(dr * dr + dg * dg + db * db);
}

/**
 * The product as an edit's mask marks it: its pixels kept where the mask is opaque, gone where it is transparent
 * (what may change: here, the background the sweep replaces), then cropped. The mask is the image's size.
 */
export function cutByMask(rgba: Buffer, mask: Buffer, width: number, height: number): Cutout {
  const data = Buffer.from(rgba);
  for (let i = 3; i < data.length; i += 4) data[i] = Math.round((data[i]! * mask[i]!) / 255);
  return crop(data, width, height, "transparent");
}

/** Cropped to the pixels that show (alpha over 8); the whole image when nothing would be left. */
function crop(data: Buffer, width: number, height: number, kind: Cutout["kind"]): Cutout {
  let [left, top, right, bottom] = [width, height, -1, -1];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (data[(y * width + x) * 4 + 3]! <= 8) continue;
      if (x < left) left = x;
      if (x > right) right = x;
      if (y < top) top = y;
      if (y > bottom) bottom = y;
    }
  }
  if (right < left) return { rgba: data, width, height, kind: "whole" };
  const w = right - left + 1;
  const h = bottom - top + 1;
  const out = Buffer.alloc(w * h * 4);
  for (let y = 0; y < h; y++)
    data.copy(out, y * w * 4, ((top + y) * width + left) * 4, ((top + y) * width + left + w) * 4);
  return { rgba: out, width: w, height: h, kind };
}
