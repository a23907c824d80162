import { mix, withAlpha } from "../../palette";
import { glow, type Scene } from "../scene";
import type { Light } from "./light";

/** The sky above the horizon: its gradient, stars when dark, the sun or moon and its glow. */
export function drawSky(scene: Scene, light: Light): void {
  const { ctx, width, random } = scene;
  const h = light.horizonY;
  const sky = ctx.createLinearGradient(0, 0, 0, h);
  sky.addColorStop(0, light.zenith);
  sky.addColorStop(0.55, mix(light.zenith, light.horizon, 0.45));
  sky.addColorStop(1, light.horizon);
  ctx.fillStyle = sky;
  ctx.fillRect(0, 0, width, h + 2);
  // Ground under everything below the horizon, so no layer ever leaves the canvas bare.
  ctx.fillStyle = mix(light.haze, light.shade[0], 0.5);
  ctx.fillRect(0, h, width, scene.height - h);

  const unit = Math.min(width, scene.height) / 100;
  if (light.stars > 0 && !scene.spec.weather.some((w) => w === "fog" || w === "storm" || w === "rain")) {
    const count = Math.round(((width * h) / 5000) * light.stars);
    for (let i = 0; i < count; i++) {
      const y = h * 0.8 * random.next() ** 1.4;
      ctx.fillStyle = withAlpha("#ffffff", random.range(0.25, 0.9) * (1 - y / h));
      ctx.beginPath();
      ctx.arc(width * random.next(), y, unit * random.range(0.06, 0.22), 0, Math.PI * 2);
      ctx.fill();
    }
  }

  const hidden = scene.spec.weather.some((w) => w === "fog" || w === "storm" || w === "rain");
  glow(
    ctx,
    light.sunX,
    light.sunY,
    light.sunR * (light.time === "night" ? 4 : 7),
    light.sun,
    hidden ? 0.2 : 0.5,
  );
  if (light.elevation < 0 || hidden) return;
  ctx.fillStyle = light.sun;
  ctx.beginPath();
  ctx.arc(light.sunX, light.sunY, light.sunR, 0, Math.PI * 2);
  ctx.fill();
  if (light.time === "night") {
    // The moon's seas: a few faint darker patches.
    ctx.fillStyle = withAlpha("#9a9a92", 0.35);
    for (const [dx, dy, r] of [
      [-0.3, -0.2, 0.28],
      [0.25, 0.15, 0.22],
      [-0.05, 0.35, 0.16],
    ] as const) {
      ctx.beginPath();
      ctx.arc(light.sunX + dx * light.sunR, light.sunY + dy * light.sunR, r * light.sunR, 0, Math.PI * 2);
      ctx.fill();
    }
  }
}

/** Soft clouds: clusters of overlapping discs, lit from below near the horizon at sunrise and sunset. */
export function drawClouds(scene: Scene, light: Light, heavy: boolean): void {
  const { ctx, width, random } = scene;
  const h = light.horizonY;
  const unit = Math.min(width, scene.height) / 100;
  const dark = light.time === "night" || light.time === "dusk" || scene.spec.weather.includes("storm");
  const body = heavy
    ? mix(light.zenith, "#3a404c", 0.5)
    : dark
      ? mix(light.zenith, "#8a90a8", 0.35)
      : mix("#ffffff", light.horizon, 0.2);
  const rim = mix(body, light.sun, light.elevation < 0.3 ? 0.5 : 0.15);
  const clusters = heavy ? random.int(7, 10) : random.int(3, 6);
  for (let c = 0; c < clusters; c++) {
    const cx = width * random.range(-0.1, 1.1);
    const cy = heavy ? h * random.range(0.02, 0.45) : h * random.range(0.1, 0.65);
    const span = unit * random.range(14, heavy ? 40 : 28);
    const puffs = random.int(8, 14);
    for (let p = 0; p < puffs; p++) {
      // Flattened, soft-edged puffs: denser at the middle of the cluster, fading out at its ends.
      const along = random.range(-1, 1);
      const px = cx + along * span;
      const py = cy + random.range(-span * 0.1, span * 0.05) - (1 - Math.abs(along)) * span * 0.08;
      const r = span * random.range(0.2, 0.38) * (1.1 - Math.abs(along) * 0.5);
      ctx.save();
      ctx.translate(px, py);
      ctx.scale(1.8, 0.75);
      const g = ctx.createRadialGradient(0, -r * 0.25, 0, 0, 0, r);
      g.addColorStop(0, withAlpha(body, heavy ? 0.6 : 0.5));
      g.addColorStop(0.55, withAlpha(mix(body, rim, 0.5), heavy ? 0.4 : 0.3));
      g.addColorStop(1, withAlpha(rim, 0));
      ctx.fillStyle = g;
      ctx.beginPath();
      ctx.arc(0, 0, r, 0, Math.PI * 2);
      ctx.fill();
      ctx.restore();
    }
  }
}
