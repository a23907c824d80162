import { mix, withAlpha } from "../../palette";
import type { Random } from "../../random";
import type { Scene } from "../scene";
import { type Light, lit } from "./light";

/** A skyline profile: y of the land's top edge at each of `steps + 1` evenly spaced x. */
export type Profile = number[];

interface RidgeShape {
  baseline: number;
  amplitude: number;
  /** 0 rolls like hills, 1 is all sharp peaks. */
  sharpness: number;
  /** How many bumps across the width. */
  frequency: number;
}

export function profile(scene: Scene, shape: RidgeShape, random: Random): Profile {
  const { width, height } = scene;
  const steps = Math.max(80, Math.round(width / 5));
  // Fewer bumps across a narrow canvas, so portrait images get slopes rather than spikes.
  const aspect = Math.min(1.6, Math.max(0.5, width / height));
  const waves = Array.from({ length: 5 }, (_, k) => ({
    frequency: shape.frequency * random.range(0.7, 1.3) * (k + 1) ** 1.35 * aspect,
    phase: random.range(0, Math.PI * 2),
    weight: 1 / (k + 1) ** 1.5,
  }));
  const total = waves.reduce((sum, w) => sum + w.weight, 0);
  return Array.from({ length: steps + 1 }, (_, s) => {
    const t = (s / steps) * Math.PI;
    let y = 0;
    for (const w of waves) {
      const v = Math.sin(t * w.frequency + w.phase);
      // 1 - 2|sin| is sharp where sin crosses zero (the peaks) and round where it turns (the valleys).
      y += w.weight * (shape.sharpness * (1 - 2 * Math.abs(v)) + (1 - shape.sharpness) * v);
    }
    return shape.baseline - (y / total) * shape.amplitude;
  });
}

export function fillProfile(
  scene: Scene,
  line: Profile,
  fill: string | ReturnType<Scene["ctx"]["createLinearGradient"]>,
  bottom = scene.height,
) {
  const { ctx, width } = scene;
  ctx.fillStyle = fill;
  ctx.beginPath();
  ctx.moveTo(0, bottom);
  const steps = line.length - 1;
  for (let s = 0; s <= steps; s++) ctx.lineTo((s / steps) * width, line[s] as number);
  ctx.lineTo(width, bottom);
  ctx.closePath();
  ctx.fill();
}

export function yAt(scene: Scene, line: Profile, x: number): number {
  const steps = line.length - 1;
  const i = Math.max(0, Math.min(steps, Math.round((x / scene.width) * steps)));
  return line[i] as number;
}

/** A mountain range: a lit face and a shadowed one, with snow above the snow line when it is cold or high. */
export function mountains(
  scene: Scene,
  light: Light,
  base: number,
  nearness: number,
  rock: string,
  snowy: boolean,
) {
  const { ctx, height, random } = scene;
  const amplitude = height * (0.26 - nearness * 0.1);
  const line = profile(
    scene,
    { baseline: base - amplitude * 0.55, amplitude, sharpness: 0.65, frequency: 1.1 },
    random,
  );
  const color = lit(light, rock, nearness);
  const g = ctx.createLinearGradient(0, base - amplitude * 1.3, 0, base);
  g.addColorStop(0, mix(color, light.sun, 0.12));
  g.addColorStop(1, mix(color, light.haze, 0.25));
  fillProfile(scene, line, g, base + 2);
  if (!snowy) return line;
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, 0, scene.width, base);
  ctx.clip();
  // In winter snow reaches far down the slopes; otherwise it caps the peaks.
  const winter = scene.spec.season === "winter" || scene.spec.weather.includes("snow");
  const snowLine = base - amplitude * (winter ? random.range(0.3, 0.45) : random.range(0.75, 0.95));
  const snow = lit(light, "#f4f7fb", nearness * 0.6 + 0.4);
  const steps = line.length - 1;
  ctx.fillStyle = snow;
  ctx.beginPath();
  for (let s = 0; s <= steps; s++) {
    const y = line[s] as number;
    const x = (s / steps) * scene.width;
    // The cap follows the ridge down to a ragged snow line.
    const edge = snowLine + Math.sin(s * 0.9) * amplitude * 0.04;
    ctx.lineTo(x, Math.min(y, edge));
  }
  for (let s = steps; s >= 0; s--) {
    const x = (s / steps) * scene.width;
    ctx.lineTo(x, snowLine + Math.sin(s * 0.9) * amplitude * 0.04);
  }
  ctx.closePath();
  ctx.fill();
  ctx.restore();
  return line;
}

export function hills(scene: Scene, light: Light, base: number, nearness: number, grass: string) {
  const amplitude = scene.height * (0.08 - nearness * 0.03);
  const line = profile(scene, { baseline: base, amplitude, sharpness: 0, frequency: 0.8 }, scene.random);
  const color = lit(light, grass, nearness);
  const g = scene.ctx.createLinearGradient(0, base - amplitude, 0, scene.height);
  g.addColorStop(0, mix(color, light.sun, 0.08));
  g.addColorStop(1, mix(color, "#000000", 0.2));
  fillProfile(scene, line, g);
  return line;
}

export function dunes(scene: Scene, light: Light, base: number, nearness: number, sand: string) {
  const { ctx, height } = scene;
  const amplitude = height * (0.07 - nearness * 0.02);
  const line = profile(scene, { baseline: base, amplitude, sharpness: 0.35, frequency: 0.6 }, scene.random);
  const color = lit(light, sand, nearness);
  const g = ctx.createLinearGradient(0, base - amplitude, 0, base + height * 0.2);
  g.addColorStop(0, mix(color, light.sun, 0.2));
  g.addColorStop(0.4, color);
  g.addColorStop(1, mix(color, "#4a2a10", 0.35));
  fillProfile(scene, line, g);
  return line;
}

/** Conifers standing along a profile, their size growing with nearness. */
export function treeLine(
  scene: Scene,
  light: Light,
  line: Profile,
  nearness: number,
  tree: string,
  density = 1,
) {
  const { ctx, width, height, random } = scene;
  const size = height * (0.035 + nearness * 0.09);
  const color = lit(light, tree, nearness);
  ctx.fillStyle = color;
  let x = -size * random.range(0, 0.5);
  while (x < width + size) {
    const h = size * random.range(0.7, 1.3);
    const w = h * random.range(0.28, 0.38);
    const y = yAt(scene, line, x) + h * 0.12;
    ctx.beginPath();
    ctx.moveTo(x, y - h);
    ctx.lineTo(x + w, y);
    ctx.lineTo(x - w, y);
    ctx.closePath();
    ctx.fill();
    x += (w * random.range(0.7, 1.4)) / density;
  }
}

/** Rows of a crop running to the horizon, in alternating tones. */
export function fields(scene: Scene, light: Light, top: number, colors: readonly [string, string]) {
  const { ctx, width, height, random } = scene;
  const vanishX = width * random.range(0.3, 0.7);
  const rows = 22;
  ctx.fillStyle = lit(light, colors[0], 0.8);
  ctx.fillRect(0, top, width, height - top);
  for (let i = 0; i < rows; i += 2) {
    const a = -width + (i / rows) * width * 3;
    const b = -width + ((i + 1) / rows) * width * 3;
    ctx.fillStyle = lit(light, colors[1], 0.85);
    ctx.beginPath();
    ctx.moveTo(vanishX, top);
    ctx.lineTo(a, height);
    ctx.lineTo(b, height);
    ctx.closePath();
    ctx.fill();
  }
  const shade = ctx.createLinearGradient(0, top, 0, height);
  shade.addColorStop(0, withAlpha(light.haze, 0.55));
  shade.addColorStop(0.3, withAlpha(light.haze, 0));
  ctx.fillStyle = shade;
  ctx.fillRect(0, top, width, height - top);
}

/** A skyline of towers standing on the horizon, their windows lit when it is dark. */
export function skyline(scene: Scene, light: Light, base: number) {
  const { ctx, width, height, random } = scene;
  const dark = light.time === "night" || light.time === "dusk" || light.time === "dawn";
  for (const [layer, nearness] of [
    [0, 0.2],
    [1, 0.55],
  ] as const) {
    let x = -random.range(0, width * 0.03);
    const color = lit(light, layer ? "#3a4356" : "#56607a", nearness);
    while (x < width) {
      const w = width * random.range(0.03, 0.07);
      const h = height * random.range(0.06, layer ? 0.28 : 0.2) * (random.chance(0.12) ? 1.5 : 1);
      ctx.fillStyle = color;
      ctx.fillRect(x, base - h, w - width * 0.004, h + 2);
      if (random.chance(0.3)) ctx.fillRect(x + w * 0.4, base - h - h * 0.12, w * 0.12, h * 0.12);
      if (dark || layer) {
        const windowColor = dark ? "#ffd98a" : mix(color, "#ffffff", 0.18);
        const cell = Math.max(3, width * 0.008);
        for (let wy = base - h + cell; wy < base - cell; wy += cell * 1.8) {
          for (let wx = x + cell * 0.6; wx < x + w - cell * 1.2; wx += cell * 1.6) {
            if (!random.chance(dark ? 0.45 : 0.5)) continue;
            ctx.fillStyle = withAlpha(windowColor, dark ? random.range(0.5, 0.95) : 0.35);
            ctx.fillRect(wx, wy, cell * 0.7, cell * 0.9);
          }
        }
      }
      x += w;
    }
  }
}
