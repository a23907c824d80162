import type { SKRSContext2D } from "@napi-rs/canvas";
import { luminance, mix, withAlpha } from "../palette";
import type { ProductKind } from "../prompt/scene-spec";
import {
  drawBox as box,
  drawBook,
  drawBottle,
  drawCan,
  drawCandle,
  drawJar,
  drawMug,
  drawPerfume,
  drawPlantPot,
  drawTube,
} from "./products/containers";
import { drawBag, drawHeadphones, drawLaptop, drawPhone, drawShoe, drawWatch } from "./products/objects";
import { fillSweep, type Product, softEllipse } from "./products/parts";
import { glow, type Scene } from "./scene";

// Width and height of each product, as fractions of the canvas's shorter side, and how it is drawn.
const KINDS: Record<ProductKind, readonly [number, number, (p: Product) => void]> = {
  bottle: [0.22, 0.5, drawBottle],
  jar: [0.3, 0.27, drawJar],
  box: [0.26, 0.36, box],
  can: [0.18, 0.36, drawCan],
  tube: [0.16, 0.46, drawTube],
  mug: [0.26, 0.28, drawMug],
  shoe: [0.62, 0.26, drawShoe],
  bag: [0.42, 0.5, drawBag],
  phone: [0.22, 0.46, drawPhone],
  watch: [0.24, 0.5, drawWatch],
  headphones: [0.48, 0.44, drawHeadphones],
  laptop: [0.6, 0.42, drawLaptop],
  book: [0.3, 0.42, drawBook],
  candle: [0.24, 0.3, drawCandle],
  plant_pot: [0.28, 0.5, drawPlantPot],
  perfume: [0.26, 0.44, drawPerfume],
  // A cosmetics jar wears its colour on the lid too: its label covers most of the short body.
  cosmetics_jar: [0.34, 0.2, (p) => drawJar({ ...p, lid: mix(p.color, "#000000", 0.08) })],
};

const DEVICES = new Set<ProductKind>(["laptop", "phone", "watch", "headphones"]);

// What a material does to the drawing: how shiny it is, and its special treatment.
const SHINE = {
  matte: 0.1,
  glossy: 0.75,
  metal: 0.85,
  glass: 0.7,
  ceramic: 0.45,
  wood: 0.15,
  fabric: 0.08,
  leather: 0.3,
};

/**
 * A studio product shot of the product the prompt names, in its colour and finish: a seamless backdrop (or the
 * named surface), a podium, the product with its shading, a label carrying the prompt's quoted text or brand,
 * and a soft contact shadow.
 */
export function drawProductShot(scene: Scene): void {
  const { ctx, width, height, random, palette, spec } = scene;
  const unit = Math.min(width, height) / 100;
  // "on a wooden table" names the surface, not the product's material.
  const materials = spec.surface === "wood" ? spec.materials.filter((m) => m !== "wood") : spec.materials;
  const metal = materials.includes("metal");
  const color =
    spec.colors[0]?.hex ??
    (/\bhoney\b/i.test(scene.prompt) ? "#d8961f" : undefined) ??
    (metal ? "#a8adb3" : materials.includes("wood") ? "#9a6a3f" : undefined) ??
    // Devices come in the neutrals their makers sell when no colour is named.
    (spec.product && DEVICES.has(spec.product)
      ? random.pick(["#a8adb3", "#2b2b2f", "#d9d4cc"])
      : undefined) ??
    random.pick([palette.accent, palette.accent2, mix(palette.accent, "#000000", 0.2)]);
  // Studio paper: a pale tint of the product's colour, or one of the neutral sweeps photographers keep.
  // A white product on a white tint would vanish, so it gets the palette's accent instead.
  const tint =
    spec.surface === "pastel"
      ? random.pick(["#f6c9d4", "#c9e4f6", "#d9f2c9", "#f6e7c9", "#ddd0f5"])
      : random.pick([color, color, "#c9ad8a", "#93ab98", "#98a8bf"]);
  const backdrop = mix(
    tint === color && luminance(color) > 0.75 ? palette.accent : tint,
    "#f6f3ee",
    spec.surface === "pastel" ? 0.35 : 0.8,
  );

  fillSweep(ctx, width, height, backdrop);
  const horizon = height * 0.64;
  glow(ctx, width / 2, horizon, width * 0.7, "#ffffff", 0.18);
  glow(ctx, width / 2, height * 0.38, Math.min(width, height) * 0.45, "#ffffff", 0.55);

  const cx = width / 2;
  let base = height * 0.74;
  if (spec.surface && spec.surface !== "pastel") {
    // A named surface is a tabletop filling the lower part of the frame; the product stands on it.
    base = height * 0.8;
    drawSurface(scene, spec.surface, height * 0.66);
  } else {
    const podiumRx = Math.min(width * 0.32, height * 0.36);
    drawPodium(ctx, cx, base, podiumRx, podiumRx * 0.16, height * 0.1, backdrop, unit);
  }

  const kind = spec.product ?? random.pick<ProductKind>(["bottle", "jar", "box", "can", "tube"]);
  const [wf, hf, draw] = KINDS[kind];
  const size = Math.min(width, height);
  const productWidth = size * wf;
  const productHeight = size * hf;
  softEllipse(
    ctx,
    cx + unit,
    base + unit * 0.5,
    productWidth * 0.75,
    productWidth * 0.13,
    "rgba(0,0,0,0.22)",
    unit * 2.4,
  );
  softEllipse(ctx, cx, base, productWidth * 0.52, productWidth * 0.07, "rgba(0,0,0,0.35)", unit * 0.9);

  const shine = Math.max(0, ...materials.map((m) => SHINE[m]), materials.length ? 0 : 0.5);
  draw({
    ctx,
    cx,
    base,
    w: productWidth,
    h: productHeight,
    color,
    label: (spec.label ?? "").slice(0, 18).toUpperCase(),
    unit,
    random,
    shine,
    smart: /\bsmart/i.test(scene.prompt),
    ...(spec.colors[1] && { color2: spec.colors[1].hex }),
    glass: materials.includes("glass"),
    wood: materials.includes("wood"),
    fabric: materials.includes("fabric"),
  });
}

/** A tabletop: marble with veins, concrete with grit, wood with planks and grain, linen, or stone. */
function drawSurface(scene: Scene, surface: string, top: number): void {
  const { ctx, width, height, random } = scene;
  const unit = Math.min(width, height) / 100;
  const base =
    { marble: "#ece9e4", concrete: "#a9a8a3", wood: "#9a6a3f", linen: "#e4dccd", stone: "#7d7f80" }[
      surface
    ] ?? "#d8d4cc";
  const g = ctx.createLinearGradient(0, top, 0, height);
  g.addColorStop(0, mix(base, "#000000", 0.12));
  g.addColorStop(0.25, base);
  g.addColorStop(1, mix(base, "#000000", 0.2));
  ctx.fillStyle = g;
  ctx.fillRect(0, top, width, height - top);
  if (surface === "marble") {
    for (let i = 0; i < 7; i++) {
      ctx.strokeStyle = withAlpha("#6b6862", random.range(0.15, 0.35));
      ctx.lineWidth = Math.max(1, unit * random.range(0.1, 0.35));
      ctx.beginPath();
      let x = random.range(-0.2, 1) * width;
      let y = top + random.next() * (height - top) * 0.3;
      ctx.moveTo(x, y);
      while (y < height && x < width * 1.2) {
        x += unit * random.range(2, 7);
        y += unit * random.range(0, 3);
        ctx.lineTo(x, y);
      }
      ctx.stroke();
    }
  } else if (surface === "wood") {
    const planks = 5;
    for (let i = 1; i < planks; i++) {
      ctx.fillStyle = withAlpha("#2e1a0c", 0.35);
      const y = top + (height - top) * (i / planks) ** 1.4;
      ctx.fillRect(0, y, width, Math.max(1, unit * 0.25));
    }
    ctx.strokeStyle = withAlpha("#3b2414", 0.18);
    ctx.lineWidth = Math.max(1, unit * 0.15);
    for (let i = 0; i < 30; i++) {
      const y = top + random.next() * (height - top);
      ctx.beginPath();
      ctx.moveTo(random.range(-0.2, 0.8) * width, y);
      ctx.bezierCurveTo(width * 0.4, y + unit, width * 0.6, y - unit, width * 1.1, y + unit * 0.5);
      ctx.stroke();
    }
  } else {
    // Concrete, linen and stone: a fine grain of lighter and darker specks.
    const specks = Math.round(((height - top) * width) / 60);
    for (let i = 0; i < specks; i++) {
      ctx.fillStyle = withAlpha(random.chance(0.5) ? "#ffffff" : "#000000", random.range(0.04, 0.12));
      ctx.fillRect(random.next() * width, top + random.next() * (height - top), unit * 0.3, unit * 0.3);
    }
  }
  // The table's back edge catches the light.
  ctx.fillStyle = withAlpha("#ffffff", 0.35);
  ctx.fillRect(0, top, width, Math.max(1, unit * 0.2));
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
