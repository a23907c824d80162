import type { SKRSContext2D } from "@napi-rs/canvas";
import { withAlpha } from "../palette";
import type { Random } from "../random";

/** A decorative figure drawn in a box: the right-hand art of a card, or the backdrop of a post. */
export type Motif = (ctx: SKRSContext2D, box: Box, colors: MotifColors, random: Random) => void;
export interface Box {
  x: number;
  y: number;
  size: number;
}
export interface MotifColors {
  accent: string;
  accent2: string;
  ink: string;
}

const rings: Motif = (ctx, { x, y, size }, { accent, accent2 }, random) => {
  const cx = x + size / 2;
  const cy = y + size / 2;
  const count = random.int(5, 8);
  ctx.lineWidth = size * 0.012;
  for (let i = 0; i < count; i++) {
    ctx.strokeStyle = withAlpha(i % 2 ? accent2 : accent, 0.85 - i * 0.08);
    ctx.beginPath();
    ctx.arc(cx, cy, (size / 2) * (1 - i / count) * 0.95, 0, Math.PI * 2);
    ctx.stroke();
  }
  ctx.fillStyle = accent;
  ctx.beginPath();
  ctx.arc(cx, cy, size * 0.06, 0, Math.PI * 2);
  ctx.fill();
};

const dotGrid: Motif = (ctx, { x, y, size }, { accent, accent2, ink }, random) => {
  const n = random.int(6, 9);
  const step = size / n;
  const highlight = new Set(Array.from({ length: random.int(3, 7) }, () => random.int(0, n * n - 1)));
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      const index = row * n + col;
      const big = highlight.has(index);
      ctx.fillStyle = big ? (index % 2 ? accent : accent2) : withAlpha(ink, 0.28);
      ctx.beginPath();
      ctx.arc(x + step * (col + 0.5), y + step * (row + 0.5), step * (big ? 0.32 : 0.09), 0, Math.PI * 2);
      ctx.fill();
    }
  }
};

const bars: Motif = (ctx, { x, y, size }, { accent, accent2, ink }, random) => {
  const n = random.int(5, 7);
  const gap = size * 0.04;
  const barWidth = (size - gap * (n - 1)) / n;
  for (let i = 0; i < n; i++) {
    const h = size * random.range(0.25, 1);
    ctx.fillStyle = i === n - 2 ? accent2 : i % 2 ? withAlpha(ink, 0.22) : accent;
    const left = x + i * (barWidth + gap);
    ctx.beginPath();
    ctx.roundRect(left, y + size - h, barWidth, h, barWidth * 0.25);
    ctx.fill();
  }
};

const arcs: Motif = (ctx, { x, y, size }, { accent, accent2, ink }, random) => {
  const cells = 3;
  const cell = size / cells;
  for (let row = 0; row < cells; row++) {
    for (let col = 0; col < cells; col++) {
      const corner = random.int(0, 3);
      const cx = x + col * cell + (corner % 2) * cell;
      const cy = y + row * cell + Math.floor(corner / 2) * cell;
      ctx.save();
      ctx.beginPath();
      ctx.rect(x + col * cell, y + row * cell, cell, cell);
      ctx.clip();
      ctx.fillStyle = random.pick([accent, accent2, withAlpha(ink, 0.2), accent]);
      ctx.beginPath();
      ctx.arc(cx, cy, cell, 0, Math.PI * 2);
      ctx.fill();
      ctx.restore();
    }
  }
};

const orbit: Motif = (ctx, { x, y, size }, { accent, accent2, ink }, random) => {
  const cx = x + size / 2;
  const cy = y + size / 2;
  ctx.save();
  ctx.translate(cx, cy);
  ctx.rotate(random.range(-0.6, 0.6));
  ctx.lineWidth = size * 0.008;
  for (let i = 0; i < 3; i++) {
    ctx.strokeStyle = withAlpha(ink, 0.35);
    ctx.beginPath();
    ctx.ellipse(0, 0, size * 0.48, size * (0.14 + i * 0.1), 0, 0, Math.PI * 2);
    ctx.stroke();
  }
  ctx.restore();
  const planet = ctx.createRadialGradient(
    cx - size * 0.06,
    cy - size * 0.06,
    size * 0.02,
    cx,
    cy,
    size * 0.2,
  );
  planet.addColorStop(0, accent2);
  planet.addColorStop(1, accent);
  ctx.fillStyle = planet;
  ctx.beginPath();
  ctx.arc(cx, cy, size * 0.2, 0, Math.PI * 2);
  ctx.fill();
  for (let i = 0; i < 4; i++) {
    const angle = random.range(0, Math.PI * 2);
    ctx.fillStyle = i % 2 ? accent : accent2;
    ctx.beginPath();
    ctx.arc(
      cx + Math.cos(angle) * size * 0.42,
      cy + Math.sin(angle) * size * 0.2,
      size * 0.025,
      0,
      Math.PI * 2,
    );
    ctx.fill();
  }
};

export const MOTIFS: readonly Motif[] = [rings, dotGrid, bars, arcs, orbit];
