import { mix, withAlpha } from "../../palette";
import type { Scene } from "../scene";
import type { Light } from "./light";

/** A band of mist lying at `y`: white fading up and down, brightest on its centre line. */
export function mistBand(scene: Scene, light: Light, y: number, thickness: number, alpha: number): void {
  const { ctx, width } = scene;
  const color = mix("#ffffff", light.horizon, 0.35);
  const g = ctx.createLinearGradient(0, y - thickness, 0, y + thickness);
  g.addColorStop(0, withAlpha(color, 0));
  g.addColorStop(0.5, withAlpha(color, alpha));
  g.addColorStop(1, withAlpha(color, 0));
  ctx.fillStyle = g;
  ctx.fillRect(0, y - thickness, width, thickness * 2);
}

/** Fog: the whole picture fades towards a pale grey, more at the horizon than near the viewer. */
export function fog(scene: Scene, light: Light): void {
  const { ctx, width, height } = scene;
  const color = mix("#dfe3e8", light.horizon, 0.3);
  const g = ctx.createLinearGradient(0, 0, 0, height);
  g.addColorStop(0, withAlpha(color, 0.3));
  g.addColorStop(light.horizonY / height, withAlpha(color, 0.6));
  g.addColorStop(1, withAlpha(color, 0.12));
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, width, height);
}

export function rain(scene: Scene, light: Light): void {
  const { ctx, width, height, random } = scene;
  const unit = Math.min(width, height) / 100;
  ctx.strokeStyle = withAlpha(mix("#ffffff", light.horizon, 0.3), 0.35);
  ctx.lineWidth = Math.max(1, unit * 0.12);
  ctx.beginPath();
  const drops = Math.round((width * height) / 2500);
  for (let i = 0; i < drops; i++) {
    const x = random.range(-0.1, 1.1) * width;
    const y = random.next() * height;
    const len = unit * random.range(2, 4.5);
    ctx.moveTo(x, y);
    ctx.lineTo(x - len * 0.25, y + len);
  }
  ctx.stroke();
}

export function snow(scene: Scene): void {
  const { ctx, width, height, random } = scene;
  const unit = Math.min(width, height) / 100;
  const flakes = Math.round((width * height) / 3000);
  for (let i = 0; i < flakes; i++) {
    ctx.fillStyle = withAlpha("#ffffff", random.range(0.5, 0.95));
    ctx.beginPath();
    ctx.arc(random.next() * width, random.next() * height, unit * random.range(0.15, 0.55), 0, Math.PI * 2);
    ctx.fill();
  }
}

/** A forked bolt from the clouds towards the horizon. */
export function lightning(scene: Scene, light: Light): void {
  const { ctx, width, random } = scene;
  const unit = Math.min(width, scene.height) / 100;
  let x = width * random.range(0.2, 0.8);
  let y = light.horizonY * 0.15;
  ctx.strokeStyle = "rgba(235, 240, 255, 0.9)";
  ctx.lineWidth = unit * 0.45;
  ctx.shadowColor = "rgba(200, 215, 255, 0.9)";
  ctx.shadowBlur = unit * 3;
  ctx.beginPath();
  ctx.moveTo(x, y);
  while (y < light.horizonY * 0.92) {
    x += random.range(-4, 4) * unit;
    y += random.range(3, 7) * unit;
    ctx.lineTo(x, y);
  }
  ctx.stroke();
  ctx.shadowBlur = 0;
  ctx.shadowColor = "transparent";
}
