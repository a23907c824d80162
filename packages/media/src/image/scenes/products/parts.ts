import type { SKRSContext2D } from "@napi-rs/canvas";
import { FONT } from "../../fonts";
import { luminance, mix, withAlpha } from "../../palette";
import type { Random } from "../../random";

export interface Product {
  ctx: SKRSContext2D;
  cx: number;
  /** y of the surface the product stands on. */
  base: number;
  w: number;
  h: number;
  color: string;
  /** Label text; empty draws a maker's mark instead of a word. */
  label: string;
  unit: number;
  random: Random;
  /** How shiny its surface is: 0.1 matte to 0.8 metal or gloss. */
  shine: number;
  /** Glass shows what is behind it: its body is drawn part transparent. */
  glass: boolean;
  wood: boolean;
  fabric: boolean;
  /** The second colour the prompt names, for a part of another colour (a watch's strap). */
  color2?: string;
  /** A smart device rather than a classic one (a smartwatch's screen). */
  smart?: boolean;
  /** A lid or cap in this colour rather than one the seed picks. */
  lid?: string;
}

/**
 * A seamless paper sweep in the backdrop's colour: one gradient from the wall down over the curve onto the floor,
 * no hard horizon (the product shot's, and the studio a customer's product photo is placed in).
 */
export function fillSweep(ctx: SKRSContext2D, width: number, height: number, backdrop: string): void {
  const sweep = ctx.createLinearGradient(0, 0, 0, height);
  sweep.addColorStop(0, mix(backdrop, "#ffffff", 0.35));
  sweep.addColorStop(0.55, backdrop);
  sweep.addColorStop(0.7, mix(backdrop, "#000000", 0.07));
  sweep.addColorStop(1, mix(backdrop, "#000000", 0.18));
  ctx.fillStyle = sweep;
  ctx.fillRect(0, 0, width, height);
}

export function softEllipse(
  ctx: SKRSContext2D,
  x: number,
  y: number,
  rx: number,
  ry: number,
  color: string,
  blur: number,
): void {
  ctx.save();
  ctx.filter = `blur(${blur.toFixed(2)}px)`;
  ctx.fillStyle = color;
  ctx.beginPath();
  ctx.ellipse(x, y, rx, ry, 0, 0, Math.PI * 2);
  ctx.fill();
  ctx.restore();
}

/** Light from the upper left: a dark rim, a bright highlight a third of the way in, a darker right side. */ export function cylinderShade(
  ctx: SKRSContext2D,
  left: number,
  right: number,
  color: string,
  gloss = 0.5,
) {
  const gradient = ctx.createLinearGradient(left, 0, right, 0);
  gradient.addColorStop(0, mix(color, "#000000", 0.45));
  gradient.addColorStop(0.16, color);
  gradient.addColorStop(0.3, mix(color, "#ffffff", gloss));
  gradient.addColorStop(0.45, color);
  gradient.addColorStop(0.85, mix(color, "#000000", 0.3));
  gradient.addColorStop(1, mix(color, "#000000", 0.55));
  return gradient;
}
export function drawLabel(p: Product, top: number, height: number, halfWidth: number, curve: number): void {
  const { ctx, cx, unit } = p;
  const paper = luminance(p.color) > 0.6 ? "#1f1f22" : "#f7f3ea";
  ctx.save();
  ctx.beginPath();
  ctx.ellipse(cx, top, halfWidth, curve, 0, Math.PI, 0, false);
  ctx.lineTo(cx + halfWidth, top + height);
  ctx.ellipse(cx, top + height, halfWidth, curve, 0, 0, Math.PI, false);
  ctx.closePath();
  ctx.fillStyle = cylinderShade(ctx, cx - halfWidth, cx + halfWidth, paper, 0.2);
  ctx.fill();
  ctx.clip();
  const ink = luminance(paper) > 0.5 ? "#1f1f22" : "#f7f3ea";
  ctx.fillStyle = ink;
  ctx.textAlign = "center";
  let size = Math.min(height * 0.3, unit * 4.2);
  ctx.font = `600 ${size}px "${FONT.sans}"`;
  while (ctx.measureText(p.label).width > halfWidth * 1.6 && size > unit) {
    size *= 0.9;
    ctx.font = `600 ${size}px "${FONT.sans}"`;
  }
  if (p.label) {
    ctx.letterSpacing = `${(size * 0.18).toFixed(2)}px`;
    ctx.fillText(p.label, cx, top + height * 0.55 + curve * 0.5);
    ctx.letterSpacing = "0px";
  } else mark(ctx, cx, top + height * 0.42 + curve * 0.5, Math.min(height * 0.2, halfWidth * 0.3), ink);
  ctx.fillStyle = withAlpha(ink, 0.6);
  ctx.fillRect(
    cx - halfWidth * 0.25,
    top + height * 0.7 + curve * 0.5,
    halfWidth * 0.5,
    Math.max(1, unit * 0.25),
  );
  ctx.restore();
  ctx.textAlign = "left";
}
export function gloss(ctx: SKRSContext2D, x: number, top: number, width: number, height: number): void {
  const gradient = ctx.createLinearGradient(0, top, 0, top + height);
  gradient.addColorStop(0, "rgba(255,255,255,0)");
  gradient.addColorStop(0.3, "rgba(255,255,255,0.38)");
  gradient.addColorStop(1, "rgba(255,255,255,0)");
  ctx.fillStyle = gradient;
  ctx.beginPath();
  ctx.roundRect(x, top, width, height, width / 2);
  ctx.fill();
}
export function cylinder(
  ctx: SKRSContext2D,
  cx: number,
  top: number,
  bottom: number,
  half: number,
  e: number,
  color: string,
  glossiness: number,
): void {
  ctx.beginPath();
  ctx.ellipse(cx, top, half, e, 0, Math.PI, 0, false);
  ctx.lineTo(cx + half, bottom);
  ctx.ellipse(cx, bottom, half, e, 0, 0, Math.PI, false);
  ctx.closePath();
  ctx.fillStyle = cylinderShade(ctx, cx - half, cx + half, color, glossiness);
  ctx.fill();
}

/** A word of the prompt for the label: the first one that is not a stopword, a colour or a form. */
/** A maker's mark where no label text was asked for: a ring around a dot, never a word taken from the prompt. */
export function mark(ctx: SKRSContext2D, x: number, y: number, r: number, ink: string): void {
  ctx.strokeStyle = withAlpha(ink, 0.8);
  ctx.lineWidth = Math.max(1, r * 0.16);
  ctx.beginPath();
  ctx.arc(x, y, r, 0, Math.PI * 2);
  ctx.stroke();
  ctx.fillStyle = withAlpha(ink, 0.8);
  ctx.beginPath();
  ctx.arc(x, y, r * 0.35, 0, Math.PI * 2);
  ctx.fill();
}

/** The body's fill for its finish: shaded like a cylinder, see-through for glass. */
export function finish(p: Product, left: number, right: number, color = p.color) {
  return cylinderShade(p.ctx, left, right, p.glass ? mix(color, "#ffffff", 0.25) : color, p.shine);
}

/** Wood grain or a fabric weave over a shape already on the clip. */
export function texture(p: Product, x: number, y: number, w: number, h: number): void {
  const { ctx, random, unit } = p;
  if (!p.wood && !p.fabric) return;
  ctx.strokeStyle = withAlpha(p.wood ? "#3b2414" : "#000000", p.wood ? 0.25 : 0.1);
  ctx.lineWidth = Math.max(1, unit * (p.wood ? 0.2 : 0.1));
  ctx.beginPath();
  const step = unit * (p.wood ? 1.4 : 0.6);
  for (let i = 0; x + i * step < x + w; i++) {
    const lx = x + i * step + random.range(-0.3, 0.3) * step;
    ctx.moveTo(lx, y);
    if (p.wood) ctx.bezierCurveTo(lx + step, y + h * 0.3, lx - step, y + h * 0.7, lx, y + h);
    else ctx.lineTo(lx, y + h);
  }
  ctx.stroke();
}
