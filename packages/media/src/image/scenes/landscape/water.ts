import { type Canvas, createCanvas } from "@napi-rs/canvas";
import { mix, withAlpha } from "../../palette";
import type { Scene } from "../scene";
import type { Light } from "./light";

/**
 * Still water from the horizon down to `bottom`: what stands above the horizon mirrored in it, tinted and
 * darker towards the viewer, with ripple lines and the sun's path of light.
 */
export function water(scene: Scene, light: Light, bottom: number, calm: number): void {
  const { ctx, width, random } = scene;
  const top = light.horizonY;
  const depth = bottom - top;
  const unit = Math.min(width, scene.height) / 100;
  // The mirror: the band above the horizon, flipped. A copy first, since a canvas cannot draw itself.
  const band = Math.min(top, depth);
  const copy: Canvas = createCanvas(width, Math.max(1, Math.ceil(band)));
  copy.getContext("2d").drawImage(ctx.canvas, 0, top - band, width, band, 0, 0, width, band);
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, top, width, depth);
  ctx.clip();
  ctx.fillStyle = mix(light.horizon, light.zenith, 0.5);
  ctx.fillRect(0, top, width, depth);
  ctx.translate(0, top * 2);
  ctx.scale(1, -1);
  ctx.globalAlpha = 0.55 + calm * 0.3;
  ctx.drawImage(copy, 0, top - band, width, band);
  ctx.restore();

  const tint = mix(light.zenith, "#0d3b4f", 0.45);
  const g = ctx.createLinearGradient(0, top, 0, bottom);
  g.addColorStop(0, withAlpha(tint, 0.12));
  g.addColorStop(1, withAlpha(mix(tint, "#000000", 0.3), 0.6));
  ctx.fillStyle = g;
  ctx.fillRect(0, top, width, depth);

  // Ripples: thin streaks, longer and further apart nearer the viewer.
  const lines = Math.round(depth / (unit * 0.9));
  for (let i = 0; i < lines; i++) {
    const f = random.next();
    const y = top + depth * f ** 1.6;
    const len = width * random.range(0.02, 0.12) * (0.3 + f) * (1.4 - calm);
    ctx.fillStyle = withAlpha(random.chance(0.5) ? "#ffffff" : "#000000", random.range(0.05, 0.14));
    ctx.fillRect(random.range(-0.05, 1) * width, y, len, Math.max(1, unit * 0.12 * (0.5 + f)));
  }
  const sunVisible = light.elevation > -0.05 && !scene.spec.weather.some((w) => w === "fog" || w === "storm");
  if (sunVisible) {
    // The sun's (or moon's) glitter path: short bright dashes straight below it, spreading with nearness.
    const spread = light.sunR * 1.2;
    for (let i = 0; i < lines * 1.5; i++) {
      const f = random.next();
      const y = top + depth * f ** 1.3;
      const half = spread * (0.4 + f * 1.6) * random.range(0.2, 1);
      ctx.fillStyle = withAlpha(mix(light.sun, "#ffffff", 0.3), random.range(0.2, 0.7) * (1 - f * 0.6));
      ctx.fillRect(
        light.sunX - half + random.range(-1, 1) * spread * f,
        y,
        half * 2,
        Math.max(1, unit * 0.15),
      );
    }
  }
  // The shore line: a thin bright edge where water meets land.
  ctx.fillStyle = withAlpha(mix(light.horizon, "#ffffff", 0.4), 0.45);
  ctx.fillRect(0, top - Math.max(1, unit * 0.08), width, Math.max(1, unit * 0.18));
}

/** A sandy beach in the foreground, with a line of foam where the waves reach it. */
export function beach(scene: Scene, light: Light, sand: string): void {
  const { ctx, width, height, random } = scene;
  const start = height * random.range(0.78, 0.84);
  const slope = height * random.range(-0.05, 0.05);
  const edge = (x: number) => start + slope * (x / width - 0.5) + Math.sin((x / width) * 9) * height * 0.006;
  const color = mix(sand, light.shade[0], light.shade[1] * 0.7);
  const g = ctx.createLinearGradient(0, start, 0, height);
  g.addColorStop(0, mix(color, "#6b5a44", 0.25));
  g.addColorStop(0.2, color);
  g.addColorStop(1, mix(color, light.sun, 0.15));
  ctx.fillStyle = g;
  ctx.beginPath();
  ctx.moveTo(0, height);
  for (let x = 0; x <= width; x += width / 60) ctx.lineTo(x, edge(x));
  ctx.lineTo(width, height);
  ctx.closePath();
  ctx.fill();
  ctx.strokeStyle = withAlpha("#ffffff", 0.7);
  ctx.lineWidth = Math.max(1.5, height * 0.005);
  ctx.beginPath();
  for (let x = 0; x <= width; x += width / 60) ctx.lineTo(x, edge(x) - height * 0.008);
  ctx.stroke();
}

/** A wooden pier reaching into the water from one side, and boats moored at different distances. */
export function harbour(scene: Scene, light: Light): void {
  const { ctx, width, height, random } = scene;
  const top = light.horizonY;
  const wood = mix("#4a3628", light.shade[0], light.shade[1] * 0.8);
  const fromLeft = random.chance(0.5);
  const flip = (x: number) => (fromLeft ? x : width - x);
  // Houses along the far shore, windows lit while it is dark.
  const dark = light.time === "dawn" || light.time === "dusk" || light.time === "night";
  const townX = width * random.range(0.45, 0.7);
  const houses = random.int(6, 10);
  // The spit of land the village stands on, low on the horizon.
  const spitL = townX - width * 0.06;
  const spitR = townX + houses * width * 0.028 + width * 0.08;
  ctx.fillStyle = mix(mix("#5d6b4a", light.haze, 0.45), light.shade[0], light.shade[1]);
  ctx.beginPath();
  ctx.moveTo(flip(spitL), top + 1);
  ctx.bezierCurveTo(
    flip(spitL + width * 0.04),
    top - height * 0.018,
    flip(spitR - width * 0.06),
    top - height * 0.02,
    flip(spitR),
    top + 1,
  );
  ctx.closePath();
  ctx.fill();
  for (let i = 0; i < houses; i++) {
    const hw = width * random.range(0.012, 0.022);
    const hh = hw * random.range(0.7, 1.3);
    const hx = flip(townX + i * width * 0.028 + random.range(0, width * 0.01));
    const wall = mix(
      random.pick(["#e9e1d3", "#d9b38c", "#c9d6df", "#e6c9a8"]),
      light.shade[0],
      light.shade[1],
    );
    ctx.fillStyle = wall;
    ctx.fillRect(hx, top - hh - height * 0.008, hw, hh + 1);
    ctx.fillStyle = mix("#8a3b2a", light.shade[0], light.shade[1]);
    ctx.beginPath();
    const eave = top - hh - height * 0.008;
    ctx.moveTo(hx - hw * 0.1, eave);
    ctx.lineTo(hx + hw / 2, eave - hw * 0.45);
    ctx.lineTo(hx + hw * 1.1, eave);
    ctx.closePath();
    ctx.fill();
    if (dark && random.chance(0.7)) {
      ctx.fillStyle = "#ffd98a";
      ctx.fillRect(hx + hw * 0.35, top - hh * 0.65 - height * 0.008, hw * 0.3, hh * 0.3);
    }
  }
  // The pier narrows with distance: a deck polygon and posts below it, running out of the frame towards us.
  const nearY = height * 1.02;
  const farY = top + (height - top) * 0.25;
  const nearL = -width * 0.05;
  const nearR = width * 0.3;
  const farL = width * 0.18;
  const farR = width * 0.25;
  ctx.fillStyle = wood;
  ctx.beginPath();
  ctx.moveTo(flip(nearL), nearY);
  ctx.lineTo(flip(nearR), nearY);
  ctx.lineTo(flip(farR), farY);
  ctx.lineTo(flip(farL), farY);
  ctx.closePath();
  ctx.fill();
  ctx.fillStyle = mix(wood, "#000000", 0.35);
  for (let i = 0; i <= 8; i++) {
    const f = i / 8;
    const y = farY + (nearY - farY) * f;
    const postH = height * (0.01 + f * 0.08);
    const postW = Math.max(2, width * (0.003 + f * 0.008));
    ctx.fillRect(flip(farR + (nearR - farR) * f) - postW / 2, y, postW, postH);
    ctx.fillRect(flip(farL + (nearL - farL) * f) - postW / 2, y, postW, postH);
  }
  // Boats: a hull, a cabin or a mast and sail, and a dark reflection under each.
  const boats = random.int(2, 4);
  for (let i = 0; i < boats; i++) {
    const f = random.range(0.1, 0.75);
    const y = top + (height - top) * f;
    const size = height * (0.03 + f * 0.1);
    const x = flip(width * random.range(0.38, 0.92));
    const hull = random.pick(["#f2efe9", "#c0392b", "#2e5e8c", "#e8c14a"]);
    const shaded = mix(hull, light.shade[0], light.shade[1]);
    // Its reflection: the hull's colour, darker, broken by the water.
    for (let k = 0; k < 4; k++) {
      ctx.fillStyle = withAlpha(mix(shaded, "#000000", 0.35), 0.3 - k * 0.06);
      ctx.fillRect(x - size * (0.9 - k * 0.1), y + k * size * 0.12, size * (1.8 - k * 0.2), size * 0.09);
    }
    ctx.fillStyle = shaded;
    ctx.beginPath();
    ctx.moveTo(x - size * 1.2, y - size * 0.35);
    ctx.lineTo(x + size * 1.2, y - size * 0.35);
    ctx.lineTo(x + size * 0.9, y);
    ctx.lineTo(x - size * 0.9, y);
    ctx.closePath();
    ctx.fill();
    ctx.fillStyle = mix(shaded, "#000000", 0.3);
    ctx.fillRect(x - size * 1.2, y - size * 0.4, size * 2.4, size * 0.08);
    if (random.chance(0.5)) {
      ctx.fillStyle = mix("#f7f4ec", light.shade[0], light.shade[1]);
      ctx.fillRect(x - size * 0.4, y - size * 0.75, size * 0.8, size * 0.4);
    } else {
      ctx.fillStyle = mix("#3b3129", light.shade[0], light.shade[1] * 0.5);
      ctx.fillRect(x - size * 0.04, y - size * 2.2, size * 0.08, size * 1.85);
      ctx.fillStyle = mix("#f7f4ec", light.shade[0], light.shade[1] * 0.8);
      ctx.beginPath();
      ctx.moveTo(x + size * 0.08, y - size * 2.1);
      ctx.lineTo(x + size * 0.9, y - size * 0.5);
      ctx.lineTo(x + size * 0.08, y - size * 0.5);
      ctx.closePath();
      ctx.fill();
    }
  }
}

/** A river winding from the horizon towards the viewer, widening as it comes, the sky's colour on it. */
export function river(scene: Scene, light: Light): void {
  const { ctx, width, height, random } = scene;
  const top = light.horizonY;
  const startX = width * random.range(0.35, 0.65);
  const bend = width * random.range(0.15, 0.3) * (random.chance(0.5) ? 1 : -1);
  const steps = 40;
  const left: [number, number][] = [];
  const right: [number, number][] = [];
  for (let s = 0; s <= steps; s++) {
    const f = s / steps;
    const y = top + (height - top) * f;
    const cx = startX + Math.sin(f * Math.PI * 1.3) * bend * f;
    const half = width * (0.004 + f * f * 0.22);
    left.push([cx - half, y]);
    right.push([cx + half, y]);
  }
  const g = ctx.createLinearGradient(0, top, 0, height);
  g.addColorStop(0, mix(light.horizon, "#ffffff", 0.2));
  g.addColorStop(1, mix(light.zenith, "#0d3b4f", 0.3));
  ctx.fillStyle = g;
  ctx.beginPath();
  for (const [x, y] of left) ctx.lineTo(x, y);
  for (const [x, y] of right.reverse()) ctx.lineTo(x, y);
  ctx.closePath();
  ctx.fill();
}
