import { Image, type SKRSContext2D } from "@napi-rs/canvas";
import type { Palette } from "../palette";
import { withAlpha } from "../palette";
import { iconSvg } from "../prompt/icons";
import type { Random } from "../random";
import { type Box, MOTIFS } from "./motifs";

/** Draws an icon of the bundled emoji set into a square; false when the set has no such icon. */
export function drawIcon(ctx: SKRSContext2D, name: string, x: number, y: number, size: number): boolean {
  const svg = iconSvg(name, Math.ceil(size));
  if (!svg) return false;
  const image = new Image();
  image.src = svg;
  ctx.drawImage(image, x, y, size, size);
  return true;
}

/**
 * The picture beside a title: the prompt's subjects as emoji-set illustrations on a disc of the palette, the
 * first large and up to two more smaller around it; a prompt with no picturable noun gets an abstract motif.
 */
export function drawIllustration(
  ctx: SKRSContext2D,
  box: Box,
  subjects: readonly string[],
  palette: Palette,
  random: Random,
): void {
  const { x, y, size } = box;
  if (subjects.length === 0) {
    random.pick(MOTIFS)(ctx, box, palette, random);
    return;
  }
  const cx = x + size / 2;
  const cy = y + size / 2;
  ctx.fillStyle = withAlpha(palette.accent, 0.22);
  ctx.beginPath();
  ctx.arc(cx, cy, size * 0.48, 0, Math.PI * 2);
  ctx.fill();
  ctx.strokeStyle = withAlpha(palette.accent2, 0.6);
  ctx.lineWidth = size * 0.012;
  ctx.setLineDash([size * 0.03, size * 0.025]);
  ctx.beginPath();
  ctx.arc(cx, cy, size * 0.5, random.range(0, 1), Math.PI * 1.6);
  ctx.stroke();
  ctx.setLineDash([]);
  const [main, ...rest] = subjects;
  const big = size * (rest.length ? 0.56 : 0.66);
  ctx.save();
  ctx.shadowColor = "rgba(0,0,0,0.22)";
  ctx.shadowBlur = size * 0.04;
  ctx.shadowOffsetY = size * 0.02;
  drawIcon(ctx, main as string, cx - big / 2, cy - big / 2 + (rest.length ? size * 0.04 : 0), big);
  const spots = [
    [0.78, 0.2],
    [0.18, 0.78],
  ] as const;
  rest.slice(0, 2).forEach((name, i) => {
    const [fx, fy] = spots[i] as readonly [number, number];
    const small = size * 0.26;
    ctx.fillStyle = palette.dark ? "#ffffff" : "#ffffff";
    ctx.beginPath();
    ctx.arc(x + size * fx, y + size * fy, small * 0.68, 0, Math.PI * 2);
    ctx.fill();
    drawIcon(ctx, name, x + size * fx - small / 2, y + size * fy - small / 2, small);
  });
  ctx.restore();
}
