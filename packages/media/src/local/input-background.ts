import type { Canvas, SKRSContext2D } from "@napi-rs/canvas";
import { withAlpha } from "../image/palette";
import type { Scene } from "../image/scenes/scene";
import { drawCover } from "./pixels";

/**
 * A card's background made from the customer's image (blog_thumbnail, social_post): the image covering the card,
 * washed with the palette's background gradient so the card's type keeps its contrast, and a seeded framing so
 * each of n variations crops it differently.
 */
export function drawImageBackground(scene: Scene, image: Canvas): void {
  const { ctx, width, height, random, palette } = scene;
  const pan = { x: random.range(-0.6, 0.6), y: random.range(-0.6, 0.6) };
  const zoom = random.range(1, 1.12);
  drawCover(ctx, image, { x: 0, y: 0, width, height }, pan, zoom);
  const wash = ctx.createLinearGradient(0, 0, width, height);
  wash.addColorStop(0, withAlpha(palette.background[0], 0.78));
  wash.addColorStop(1, withAlpha(palette.background[1], 0.6));
  ctx.fillStyle = wash;
  ctx.fillRect(0, 0, width, height);
  // An edit's mask keeps the original where it is opaque: only the rest takes the card's colours.
  if (scene.backgroundKeep) drawCover(ctx, scene.backgroundKeep, { x: 0, y: 0, width, height }, pan, zoom);
}

/**
 * An image restyled on its own (no preset): covering the frame at a seeded framing (mode variation moves, zooms
 * and may mirror it more), colour-graded towards the prompt's palette, with a soft vignette.
 */
export function drawRestyled(
  scene: Scene,
  image: Canvas,
  mode: "edit" | "variation" | "reference",
  keep?: Canvas,
): void {
  const { ctx, width, height, random, palette } = scene;
  const loose = mode === "variation";
  const pan = { x: random.range(-1, 1) * (loose ? 0.9 : 0.2), y: random.range(-1, 1) * (loose ? 0.9 : 0.2) };
  const zoom = loose ? random.range(1, 1.25) : 1;
  ctx.save();
  if (loose && random.chance(0.5)) {
    ctx.translate(width, 0);
    ctx.scale(-1, 1);
  }
  drawCover(ctx, image, { x: 0, y: 0, width, height }, pan, zoom);
  ctx.restore();
  grade(ctx, width, height, palette.accent, loose ? random.range(0.1, 0.28) : 0.22);
  vignette(ctx, width, height, palette.dark ? 0.45 : 0.25);
  // An edit's mask: where it is opaque the original shows as it was (mode edit never mirrors, so it lines up).
  if (keep) drawCover(ctx, keep, { x: 0, y: 0, width, height }, pan, zoom);
}

/** Tints the picture towards a colour: soft-light keeps its light and shade, only its colour moves. */
function grade(ctx: SKRSContext2D, width: number, height: number, color: string, strength: number): void {
  ctx.save();
  ctx.globalCompositeOperation = "soft-light";
  ctx.fillStyle = withAlpha(color, strength * 2);
  ctx.fillRect(0, 0, width, height);
  ctx.globalCompositeOperation = "color";
  ctx.fillStyle = withAlpha(color, strength * 0.5);
  ctx.fillRect(0, 0, width, height);
  ctx.restore();
}

function vignette(ctx: SKRSContext2D, width: number, height: number, strength: number): void {
  const r = Math.hypot(width, height) / 2;
  const g = ctx.createRadialGradient(width / 2, height / 2, r * 0.45, width / 2, height / 2, r);
  g.addColorStop(0, "rgba(0,0,0,0)");
  g.addColorStop(1, `rgba(0,0,0,${strength})`);
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, width, height);
}
