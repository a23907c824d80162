import type { SKRSContext2D } from "@napi-rs/canvas";
import { FONT } from "../fonts";
import { colorFromPrompt, luminance, mix, withAlpha } from "../palette";
import type { Random } from "../random";
import { glow, type Scene } from "./scene";

type Form = "bottle" | "jar" | "box" | "can" | "tube" | "sphere";

// The product's shape follows the prompt where it names one; otherwise the seed picks.
const FORM_WORDS: ReadonlyArray<readonly [RegExp, Form]> = [
  [/\b(bottle|perfume|serum|wine|oil|spray|flask|fragrance|drink|water|sparkling|juice|kombucha)/i, "bottle"],
  [/\b(jar|cream|candle|balm|honey|jam|pot)\b/i, "jar"],
  [/\b(box|package|packaging|carton|book|gift|kit|tea)\b/i, "box"],
  [/\b(can|soda|beer|cola|tin)\b/i, "can"],
  [/\b(tube|lotion|toothpaste|sunscreen|cleanser)/i, "tube"],
  [/\b(ball|orb|sphere|globe|lamp)/i, "sphere"],
];

const STOPWORDS = new Set(
  "a an the of for with and on in at to by from studio shot photo product image picture render minimal premium luxury new".split(
    " ",
  ),
);

/**
 * A studio product shot: a seamless two-tone backdrop, a podium, the product form with cylindrical shading, a
 * label carrying a word of the prompt, and a soft contact shadow.
 */
export function drawProductShot(scene: Scene): void {
  const { ctx, width, height, prompt, random, palette } = scene;
  const unit = Math.min(width, height) / 100;
  const color =
    colorFromPrompt(prompt) ??
    random.pick([palette.accent, palette.accent2, mix(palette.accent, "#000000", 0.2)]);
  // Studio paper: a pale tint of the product's colour, or one of the neutral sweeps photographers keep.
  // A white product on a white tint would vanish, so it gets the palette's accent instead.
  const tint = random.pick([color, color, "#c9ad8a", "#93ab98", "#98a8bf"]);
  const backdrop = mix(tint === color && luminance(color) > 0.75 ? palette.accent : tint, "#f6f3ee", 0.8);

  // A seamless paper sweep: one gradient from the wall down over the curve onto the floor, no hard horizon.
  const sweep = ctx.createLinearGradient(0, 0, 0, height);
  sweep.addColorStop(0, mix(backdrop, "#ffffff", 0.35));
  sweep.addColorStop(0.55, backdrop);
  sweep.addColorStop(0.7, mix(backdrop, "#000000", 0.07));
  sweep.addColorStop(1, mix(backdrop, "#000000", 0.18));
  ctx.fillStyle = sweep;
  ctx.fillRect(0, 0, width, height);
  const horizon = height * 0.64;
  // The sweep: a soft band where the wall curves into the floor.
  glow(ctx, width / 2, horizon, width * 0.7, "#ffffff", 0.18);
  glow(ctx, width / 2, height * 0.38, Math.min(width, height) * 0.45, "#ffffff", 0.55);

  const cx = width / 2;
  const podiumTop = height * 0.74;
  const podiumRx = Math.min(width * 0.32, height * 0.36);
  const podiumRy = podiumRx * 0.16;
  const podiumHeight = height * 0.1;
  drawPodium(ctx, cx, podiumTop, podiumRx, podiumRy, podiumHeight, backdrop, unit);

  const form =
    FORM_WORDS.find(([pattern]) => pattern.test(prompt))?.[1] ??
    random.pick<Form>(["bottle", "jar", "box", "can", "tube"]);
  const size = Math.min(width, height);
  const productHeight =
    size * ({ bottle: 0.5, jar: 0.27, box: 0.36, can: 0.36, tube: 0.46, sphere: 0.3 } as const)[form];
  const productWidth =
    size * ({ bottle: 0.22, jar: 0.3, box: 0.26, can: 0.18, tube: 0.16, sphere: 0.3 } as const)[form];

  // Contact shadow: wide and faint, then narrow and dark, both blurred.
  softEllipse(
    ctx,
    cx + unit,
    podiumTop + unit * 0.5,
    productWidth * 0.75,
    productWidth * 0.13,
    "rgba(0,0,0,0.22)",
    unit * 2.4,
  );
  softEllipse(ctx, cx, podiumTop, productWidth * 0.52, productWidth * 0.07, "rgba(0,0,0,0.35)", unit * 0.9);

  const label = labelWord(prompt);
  const draw = { ctx, cx, base: podiumTop, w: productWidth, h: productHeight, color, label, unit, random };
  ({ bottle: drawBottle, jar: drawJar, box: drawBox, can: drawCan, tube: drawTube, sphere: drawSphere })[
    form
  ](draw);
}

interface Product {
  ctx: SKRSContext2D;
  cx: number;
  /** y of the surface the product stands on. */
  base: number;
  w: number;
  h: number;
  color: string;
  label: string;
  unit: number;
  random: Random;
}

function drawPodium(
  ctx: SKRSContext2D,
  cx: number,
  top: number,
  rx: number,
  ry: number,
  h: number,
  tone: string,
  unit: number,
): void {
  softEllipse(ctx, cx, top + h + ry * 0.4, rx * 1.08, ry * 1.2, "rgba(0,0,0,0.18)", unit * 3);
  const side = ctx.createLinearGradient(cx - rx, 0, cx + rx, 0);
  side.addColorStop(0, mix(tone, "#000000", 0.16));
  side.addColorStop(0.4, mix(tone, "#ffffff", 0.3));
  side.addColorStop(1, mix(tone, "#000000", 0.22));
  ctx.fillStyle = side;
  ctx.beginPath();
  ctx.ellipse(cx, top, rx, ry, 0, Math.PI, 0, true);
  ctx.lineTo(cx + rx, top + h);
  ctx.ellipse(cx, top + h, rx, ry, 0, 0, Math.PI);
  ctx.closePath();
  ctx.fill();
  ctx.fillStyle = mix(tone, "#ffffff", 0.45);
  ctx.beginPath();
  ctx.ellipse(cx, top, rx, ry, 0, 0, Math.PI * 2);
  ctx.fill();
}

function softEllipse(
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

/** Light from the upper left: a dark rim, a bright highlight a third of the way in, a darker right side. */
function cylinderShade(ctx: SKRSContext2D, left: number, right: number, color: string, gloss = 0.5) {
  const gradient = ctx.createLinearGradient(left, 0, right, 0);
  gradient.addColorStop(0, mix(color, "#000000", 0.45));
  gradient.addColorStop(0.16, color);
  gradient.addColorStop(0.3, mix(color, "#ffffff", gloss));
  gradient.addColorStop(0.45, color);
  gradient.addColorStop(0.85, mix(color, "#000000", 0.3));
  gradient.addColorStop(1, mix(color, "#000000", 0.55));
  return gradient;
}

function drawLabel(p: Product, top: number, height: number, halfWidth: number, curve: number): void {
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
  ctx.letterSpacing = `${(size * 0.18).toFixed(2)}px`;
  ctx.fillText(p.label, cx, top + height * 0.55 + curve * 0.5);
  ctx.letterSpacing = "0px";
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

function gloss(ctx: SKRSContext2D, x: number, top: number, width: number, height: number): void {
  const gradient = ctx.createLinearGradient(0, top, 0, top + height);
  gradient.addColorStop(0, "rgba(255,255,255,0)");
  gradient.addColorStop(0.3, "rgba(255,255,255,0.38)");
  gradient.addColorStop(1, "rgba(255,255,255,0)");
  ctx.fillStyle = gradient;
  ctx.beginPath();
  ctx.roundRect(x, top, width, height, width / 2);
  ctx.fill();
}

function drawBottle(p: Product): void {
  const { ctx, cx, base, w, h } = p;
  // Proportions vary with the seed: apothecary, squat or tall bottles.
  const half = (w / 2) * p.random.range(0.8, 1.15);
  const neck = w * p.random.range(0.13, 0.2);
  const e = half * 0.14;
  const shoulder = base - h * p.random.range(0.55, 0.66);
  const neckBottom = base - h * 0.78;
  const neckTop = base - h * 0.86;
  ctx.beginPath();
  ctx.moveTo(cx - half, base - e);
  ctx.lineTo(cx - half, shoulder);
  ctx.quadraticCurveTo(cx - half, neckBottom, cx - neck, neckBottom);
  ctx.lineTo(cx - neck, neckTop);
  ctx.lineTo(cx + neck, neckTop);
  ctx.lineTo(cx + neck, neckBottom);
  ctx.quadraticCurveTo(cx + half, neckBottom, cx + half, shoulder);
  ctx.lineTo(cx + half, base - e);
  ctx.ellipse(cx, base - e, half, e, 0, 0, Math.PI);
  ctx.closePath();
  ctx.fillStyle = cylinderShade(ctx, cx - half, cx + half, p.color, 0.55);
  ctx.fill();
  const capHalf = neck * 1.3;
  ctx.fillStyle = cylinderShade(
    ctx,
    cx - capHalf,
    cx + capHalf,
    p.random.pick(["#1d1d20", "#c9a44c", "#e9e6df"]),
    0.5,
  );
  ctx.beginPath();
  ctx.roundRect(cx - capHalf, base - h, capHalf * 2, h * 0.15, capHalf * 0.18);
  ctx.fill();
  drawLabel(p, base - h * 0.5, h * 0.24, half, e);
  gloss(ctx, cx - half * 0.62, shoulder - h * 0.05, half * 0.16, h * 0.55);
}

function drawJar(p: Product): void {
  const { ctx, cx, base, w, h } = p;
  const half = w / 2;
  const e = half * 0.2;
  const lidHeight = h * 0.28;
  const bodyTop = base - h + lidHeight;
  cylinder(ctx, cx, bodyTop, base - e, half * 0.96, e, p.color, 0.45);
  const lid = p.random.pick(["#1d1d20", "#c9a44c", mix(p.color, "#000000", 0.35), "#ece8df"]);
  cylinder(ctx, cx, base - h + e, bodyTop + e * 0.3, half, e, lid, 0.5);
  ctx.fillStyle = mix(lid, "#ffffff", 0.25);
  ctx.beginPath();
  ctx.ellipse(cx, base - h + e, half, e, 0, 0, Math.PI * 2);
  ctx.fill();
  drawLabel(p, bodyTop + (base - bodyTop) * 0.22, (base - bodyTop) * 0.5, half * 0.96, e);
}

function drawCan(p: Product): void {
  const { ctx, cx, base, w, h } = p;
  const half = w / 2;
  const e = half * 0.2;
  cylinder(ctx, cx, base - h + e, base - e, half, e, p.color, 0.6);
  ctx.fillStyle = cylinderShade(ctx, cx - half, cx + half, "#c7ccd1", 0.6);
  ctx.beginPath();
  ctx.ellipse(cx, base - h + e, half, e, 0, 0, Math.PI * 2);
  ctx.fill();
  ctx.strokeStyle = "rgba(0,0,0,0.25)";
  ctx.lineWidth = Math.max(1, p.unit * 0.3);
  ctx.beginPath();
  ctx.ellipse(cx, base - h + e, half * 0.86, e * 0.8, 0, 0, Math.PI * 2);
  ctx.stroke();
  drawLabel(p, base - h * 0.62, h * 0.3, half, e);
  gloss(ctx, cx - half * 0.58, base - h * 0.9, half * 0.16, h * 0.75);
}

function drawTube(p: Product): void {
  const { ctx, cx, base, w, h } = p;
  const half = w / 2;
  const capHeight = h * 0.16;
  // A squeeze tube standing on its cap: round at the bottom, crimped flat and wider at the top.
  ctx.fillStyle = cylinderShade(ctx, cx - half * 0.8, cx + half * 0.8, "#1d1d20", 0.45);
  ctx.beginPath();
  ctx.roundRect(cx - half * 0.62, base - capHeight, half * 1.24, capHeight, half * 0.12);
  ctx.fill();
  ctx.beginPath();
  ctx.moveTo(cx - half * 0.8, base - capHeight);
  ctx.bezierCurveTo(
    cx - half * 0.9,
    base - h * 0.5,
    cx - half * 1.15,
    base - h * 0.8,
    cx - half * 1.12,
    base - h,
  );
  ctx.lineTo(cx + half * 1.12, base - h);
  ctx.bezierCurveTo(
    cx + half * 1.15,
    base - h * 0.8,
    cx + half * 0.9,
    base - h * 0.5,
    cx + half * 0.8,
    base - capHeight,
  );
  ctx.closePath();
  ctx.fillStyle = cylinderShade(ctx, cx - half * 1.1, cx + half * 1.1, p.color, 0.5);
  ctx.fill();
  ctx.fillStyle = mix(p.color, "#000000", 0.25);
  ctx.fillRect(cx - half * 1.12, base - h, half * 2.24, h * 0.04);
  drawLabel(p, base - h * 0.7, h * 0.26, half * 0.95, half * 0.04);
}

function drawBox(p: Product): void {
  const { ctx, cx, base, w, h, unit } = p;
  const depth = w * 0.42;
  const left = cx - (w + depth) / 2;
  const top = base - h;
  const lift = depth * 0.45;
  ctx.fillStyle = mix(p.color, "#000000", 0.28);
  ctx.beginPath();
  ctx.moveTo(left + w, top);
  ctx.lineTo(left + w + depth, top - lift);
  ctx.lineTo(left + w + depth, base - lift);
  ctx.lineTo(left + w, base);
  ctx.closePath();
  ctx.fill();
  ctx.fillStyle = mix(p.color, "#ffffff", 0.25);
  ctx.beginPath();
  ctx.moveTo(left, top);
  ctx.lineTo(left + depth, top - lift);
  ctx.lineTo(left + w + depth, top - lift);
  ctx.lineTo(left + w, top);
  ctx.closePath();
  ctx.fill();
  const front = ctx.createLinearGradient(left, top, left + w, base);
  front.addColorStop(0, mix(p.color, "#ffffff", 0.12));
  front.addColorStop(1, mix(p.color, "#000000", 0.08));
  ctx.fillStyle = front;
  ctx.fillRect(left, top, w, h);
  const ink = luminance(p.color) > 0.6 ? "#1f1f22" : "#f7f3ea";
  ctx.fillStyle = ink;
  ctx.textAlign = "center";
  let size = unit * 4.4;
  ctx.font = `700 ${size}px "${FONT.sans}"`;
  while (ctx.measureText(p.label).width > w * 0.8 && size > unit) {
    size *= 0.9;
    ctx.font = `700 ${size}px "${FONT.sans}"`;
  }
  ctx.letterSpacing = `${(size * 0.16).toFixed(2)}px`;
  ctx.fillText(p.label, left + w / 2, top + h * 0.46);
  ctx.letterSpacing = "0px";
  ctx.textAlign = "left";
  ctx.fillStyle = withAlpha(ink, 0.55);
  ctx.fillRect(left + w * 0.35, top + h * 0.54, w * 0.3, Math.max(1, unit * 0.3));
}

function drawSphere(p: Product): void {
  const { ctx, cx, base, w } = p;
  const r = w / 2;
  const cy = base - r * 0.98;
  const gradient = ctx.createRadialGradient(cx - r * 0.35, cy - r * 0.4, r * 0.05, cx, cy, r);
  gradient.addColorStop(0, mix(p.color, "#ffffff", 0.7));
  gradient.addColorStop(0.45, p.color);
  gradient.addColorStop(1, mix(p.color, "#000000", 0.55));
  ctx.fillStyle = gradient;
  ctx.beginPath();
  ctx.arc(cx, cy, r, 0, Math.PI * 2);
  ctx.fill();
}

function cylinder(
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
function labelWord(prompt: string): string {
  const words = prompt.match(/[\p{L}\p{N}]+/gu) ?? [];
  const word = words.find(
    (w) =>
      w.length > 2 &&
      !STOPWORDS.has(w.toLowerCase()) &&
      !colorFromPrompt(w) &&
      !FORM_WORDS.some(([re]) => re.test(w)),
  );
  return (word ?? "studio").slice(0, 14).toUpperCase();
}
