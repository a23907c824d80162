import type { Canvas, SKRSContext2D } from "@napi-rs/canvas";
import { drawImageBackground } from "../../local/input-background";
import type { Palette } from "../palette";
import type { SceneSpec } from "../prompt/scene-spec";
import type { Random } from "../random";

export interface Scene {
  ctx: SKRSContext2D;
  width: number;
  height: number;
  prompt: string;
  random: Random;
  palette: Palette;
  /** What the prompt asks for (prompt/parse-scene.ts). */
  spec: SceneSpec;
  /** The customer's image, when the job gave one: the card's background instead of the palette's gradient. */
  background?: Canvas;
  /** With an edit's mask: the image where the mask keeps it, shown unchanged over the card's washed background. */
  backgroundKeep?: Canvas;
}

export function fillBackground(scene: Scene): void {
  if (scene.background) {
    drawImageBackground(scene, scene.background);
    return;
  }
  const { ctx, width, height, palette } = scene;
  const gradient = ctx.createLinearGradient(0, 0, width, height);
  gradient.addColorStop(0, palette.background[0]);
  gradient.addColorStop(1, palette.background[1]);
  ctx.fillStyle = gradient;
  ctx.fillRect(0, 0, width, height);
}

/** A soft glow of colour: a radial gradient fading to transparent. */
export function glow(
  ctx: SKRSContext2D,
  x: number,
  y: number,
  radius: number,
  color: string,
  alpha: number,
): void {
  const gradient = ctx.createRadialGradient(x, y, 0, x, y, radius);
  gradient.addColorStop(0, withAlphaHex(color, alpha));
  gradient.addColorStop(1, withAlphaHex(color, 0));
  ctx.fillStyle = gradient;
  ctx.fillRect(x - radius, y - radius, radius * 2, radius * 2);
}

export function roundedRect(ctx: SKRSContext2D, x: number, y: number, w: number, h: number, r: number): void {
  const radius = Math.min(r, w / 2, h / 2);
  ctx.beginPath();
  ctx.moveTo(x + radius, y);
  ctx.arcTo(x + w, y, x + w, y + h, radius);
  ctx.arcTo(x + w, y + h, x, y + h, radius);
  ctx.arcTo(x, y + h, x, y, radius);
  ctx.arcTo(x, y, x + w, y, radius);
  ctx.closePath();
}

function withAlphaHex(color: string, alpha: number): string {
  return `${color}${Math.round(alpha * 255)
    .toString(16)
    .padStart(2, "0")}`;
}
