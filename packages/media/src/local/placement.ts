import { type Canvas, createCanvas, type SKRSContext2D } from "@napi-rs/canvas";
import { colorFromPrompt, mix } from "../image/palette";
import { fillSweep, softEllipse } from "../image/scenes/products/parts";
import type { Scene } from "../image/scenes/scene";
import type { Cutout } from "./cutout";
import { canvasOf } from "./pixels";

/**
 * The customer's product photo on the product_shot studio sweep: a seamless paper backdrop tinted from the prompt
 * (or the product's own colour), a podium, the product standing on it with a soft contact shadow and a faint
 * reflection on the podium's top. A cut-out product stands free; a photo kept whole stands as a print.
 */
export function drawProductPlacement(scene: Scene, product: Cutout): void {
  const { ctx, width, height, prompt, random } = scene;
  const unit = Math.min(width, height) / 100;
  const tint =
    colorFromPrompt(prompt) ?? random.pick([averageColour(product), "#c9ad8a", "#93ab98", "#98a8bf"]);
  const backdrop = mix(tint, "#f6f3ee", 0.82);
  fillSweep(ctx, width, height, backdrop);
  radial(ctx, width / 2, height * 0.38, Math.min(width, height) * 0.45, "rgba(255,255,255,0.55)");

  const cx = width / 2 + random.range(-1, 1) * unit;
  const podiumTop = height * 0.76;
  const podiumRx = Math.min(width * 0.34, height * 0.38);
  const podiumRy = podiumRx * 0.16;
  const podiumHeight = height * 0.1;
  drawPodium(ctx, cx, podiumTop, podiumRx, podiumRy, podiumHeight, backdrop);

  // The product fits a box over the podium, standing on its top's middle.
  const fit = Math.min((podiumRx * 1.5) / product.width, (podiumTop - height * 0.12) / product.height);
  const w = product.width * fit;
  const h = product.height * fit;
  const x = cx - w / 2;
  const y = podiumTop - h;
  const image = canvasOf(product.rgba, product.width, product.height);

  // Contact shadow: wide and faint, then narrow and dark, both blurred.
  softEllipse(
    ctx,
    cx + unit,
    podiumTop + unit * 0.4,
    w * 0.55,
    Math.max(unit, w * 0.08),
    "rgba(0,0,0,0.2)",
    unit * 2.4,
  );
  softEllipse(ctx, cx, podiumTop, w * 0.42, Math.max(unit * 0.5, w * 0.04), "rgba(0,0,0,0.32)", unit * 0.9);
  drawReflection(ctx, image, x, podiumTop, w, Math.min(h, podiumRy * 2 + podiumHeight) * 0.9);
  if (product.kind === "whole") {
    // A print: a thin white border and a drop shadow lift a rectangular photo off the sweep.
    ctx.save();
    ctx.shadowColor = "rgba(0,0,0,0.25)";
    ctx.shadowBlur = unit * 2;
    ctx.shadowOffsetY = unit * 0.6;
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(x - unit * 0.8, y - unit * 0.8, w + unit * 1.6, h + unit * 0.8);
    ctx.restore();
  }
  ctx.drawImage(image, x, y, w, h);
}

/** The product mirrored under its base, fading out within `depth`, on the podium's glossy top. */
function drawReflection(
  ctx: SKRSContext2D,
  image: Canvas,
  x: number,
  base: number,
  w: number,
  depth: number,
): void {
  const h = (image.height * w) / image.width;
  const layer = createCanvas(Math.max(1, Math.round(w)), Math.max(1, Math.round(depth)));
  const lctx = layer.getContext("2d");
  lctx.save();
  lctx.scale(1, -1);
  lctx.drawImage(image, 0, -h, layer.width, h);
  lctx.restore();
  lctx.globalCompositeOperation = "destination-in";
  const fade = lctx.createLinearGradient(0, 0, 0, layer.height);
  fade.addColorStop(0, "rgba(0,0,0,0.28)");
  fade.addColorStop(1, "rgba(0,0,0,0)");
  lctx.fillStyle = fade;
  lctx.fillRect(0, 0, layer.width, layer.height);
  ctx.drawImage(layer, x, base);
}

function drawPodium(
  ctx: SKRSContext2D,
  cx: number,
  top: number,
  rx: number,
  ry: number,
  depth: number,
  backdrop: string,
): void {
  const side = ctx.createLinearGradient(cx - rx, 0, cx + rx, 0);
  side.addColorStop(0, mix(backdrop, "#000000", 0.16));
  side.addColorStop(0.45, mix(backdrop, "#ffffff", 0.25));
  side.addColorStop(1, mix(backdrop, "#000000", 0.22));
  ctx.fillStyle = side;
  ctx.beginPath();
  ctx.ellipse(cx, top + depth, rx, ry, 0, 0, Math.PI);
  ctx.lineTo(cx - rx, top);
  ctx.ellipse(cx, top, rx, ry, 0, Math.PI, 0, true);
  ctx.closePath();
  ctx.fill();
  const face = ctx.createLinearGradient(0, top - ry, 0, top + ry);
  face.addColorStop(0, mix(backdrop, "#ffffff", 0.55));
  face.addColorStop(1, mix(backdrop, "#ffffff", 0.2));
  ctx.fillStyle = face;
  ctx.beginPath();
  ctx.ellipse(cx, top, rx, ry, 0, 0, Math.PI * 2);
  ctx.fill();
}

function radial(ctx: SKRSContext2D, x: number, y: number, r: number, color: string): void {
  const g = ctx.createRadialGradient(x, y, 0, x, y, r);
  g.addColorStop(0, color);
  g.addColorStop(1, "rgba(255,255,255,0)");
  ctx.fillStyle = g;
  ctx.fillRect(x - r, y - r, r * 2, r * 2);
}

/** The product's mean colour over its visible pixels, as #rrggbb. */
function averageColour({ rgba }: Cutout): string {
  let [r, g, b, n] = [0, 0, 0, 0];
  for (let i = 0; i < rgba.length; i += 16) {
    const a = rgba[i + 3]!;
    if (a < 128) continue;
    r += rgba[i]!;
    g += rgba[i + 1]!;
    b += rgba[i + 2]!;
    n++;
  }
  if (n === 0) return "#c9ad8a";
  const hex = (v: number) =>
    Math.round(v / n)
      .toString(16)
      .padStart(2, "0");
  return `#${hex(r)}${hex(g)}${hex(b)}`;
}
