import { mix, withAlpha } from "../palette";
import type { Random } from "../random";
import { glow, type Scene } from "./scene";

/**
 * The free-size image: a layered landscape in the palette, with a sun or moon, haze between ridges and, on dark
 * palettes, stars. It reads as an illustration at any aspect ratio.
 */
export function drawLandscape(scene: Scene): void {
  const { ctx, width, height, random, palette } = scene;
  const sky = ctx.createLinearGradient(0, 0, 0, height);
  sky.addColorStop(0, palette.background[0]);
  sky.addColorStop(0.65, palette.background[1]);
  sky.addColorStop(1, mix(palette.background[1], palette.accent, 0.35));
  ctx.fillStyle = sky;
  ctx.fillRect(0, 0, width, height);

  const unit = Math.min(width, height) / 100;
  if (palette.dark) {
    for (let i = 0; i < Math.round((width * height) / 9000); i++) {
      ctx.fillStyle = withAlpha(palette.ink, random.range(0.2, 0.8));
      ctx.beginPath();
      ctx.arc(
        width * random.next(),
        height * 0.6 * random.next(),
        unit * random.range(0.08, 0.28),
        0,
        Math.PI * 2,
      );
      ctx.fill();
    }
  }

  const sunX = width * random.range(0.2, 0.8);
  const sunY = height * random.range(0.22, 0.42);
  const sunR = unit * random.range(8, 13);
  glow(ctx, sunX, sunY, sunR * 4, palette.accent2, 0.35);
  ctx.fillStyle = palette.accent2;
  ctx.beginPath();
  ctx.arc(sunX, sunY, sunR, 0, Math.PI * 2);
  ctx.fill();

  const layers = random.int(4, 6);
  const far = mix(palette.background[1], palette.accent, 0.45);
  const near = mix(palette.background[0], "#000000", palette.dark ? 0.45 : 0.75);
  for (let i = 0; i < layers; i++) {
    const depth = i / (layers - 1);
    const baseline = height * (0.5 + depth * 0.32);
    const amplitude = height * (0.1 - depth * 0.04);
    ridge(scene, baseline, amplitude, mix(far, near, depth), random);
    if (i < layers - 1) {
      const haze = ctx.createLinearGradient(0, baseline - amplitude, 0, baseline + amplitude * 2);
      haze.addColorStop(0, withAlpha(palette.background[1], 0));
      haze.addColorStop(1, withAlpha(mix(palette.background[1], "#ffffff", 0.2), 0.25));
      ctx.fillStyle = haze;
      ctx.fillRect(0, baseline - amplitude, width, height);
    }
  }
}

/** A mountain ridge: a few sine waves of random phase and frequency summed, filled down to the bottom edge. */
function ridge(
  { ctx, width, height }: Scene,
  baseline: number,
  amplitude: number,
  color: string,
  random: Random,
): void {
  const waves = Array.from({ length: 4 }, (_, k) => ({
    // Fewer waves across a narrow canvas, so portrait images get hills rather than spikes.
    frequency: random.range(0.8, 1.8) * (k + 1) * Math.min(1.5, Math.max(0.6, width / height)),
    phase: random.range(0, Math.PI * 2),
    weight: 1 / (k + 1) ** 1.6,
  }));
  const total = waves.reduce((sum, w) => sum + w.weight, 0);
  ctx.fillStyle = color;
  ctx.beginPath();
  ctx.moveTo(0, height);
  const steps = Math.max(60, Math.round(width / 6));
  for (let s = 0; s <= steps; s++) {
    const x = (s / steps) * width;
    const t = (s / steps) * Math.PI * 2;
    const y = waves.reduce((sum, w) => sum + Math.sin(t * w.frequency + w.phase) * w.weight, 0) / total;
    ctx.lineTo(x, baseline - y * amplitude);
  }
  ctx.lineTo(width, height);
  ctx.closePath();
  ctx.fill();
}
