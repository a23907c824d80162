import { FONT } from "../../fonts";
import { luminance, mix, withAlpha } from "../../palette";
import { cylinder, cylinderShade, drawLabel, finish, gloss, mark, type Product, texture } from "./parts";

// Things that hold something: bottles, jars, cans, tubes, boxes, mugs, pots, candles, books.
export function drawBottle(p: Product): void {
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
  if (p.glass) ctx.globalAlpha = 0.78;
  ctx.fillStyle = finish(p, cx - half, cx + half);
  ctx.fill();
  ctx.globalAlpha = 1;
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

export function drawJar(p: Product): void {
  const { ctx, cx, base, w, h } = p;
  const half = w / 2;
  const e = half * 0.2;
  const lidHeight = h * 0.28;
  const bodyTop = base - h + lidHeight;
  if (p.glass) ctx.globalAlpha = 0.82;
  cylinder(
    ctx,
    cx,
    bodyTop,
    base - e,
    half * 0.96,
    e,
    p.glass ? mix(p.color, "#ffffff", 0.15) : p.color,
    p.shine,
  );
  ctx.globalAlpha = 1;
  const lid = p.lid ?? p.random.pick(["#1d1d20", "#c9a44c", mix(p.color, "#000000", 0.35), "#ece8df"]);
  cylinder(ctx, cx, base - h + e, bodyTop + e * 0.3, half, e, lid, 0.5);
  ctx.fillStyle = mix(lid, "#ffffff", 0.25);
  ctx.beginPath();
  ctx.ellipse(cx, base - h + e, half, e, 0, 0, Math.PI * 2);
  ctx.fill();
  // Through glass the contents show: its label is a narrow band.
  const band = p.glass ? 0.3 : 0.5;
  drawLabel(p, bodyTop + (base - bodyTop) * (p.glass ? 0.35 : 0.22), (base - bodyTop) * band, half * 0.96, e);
}

export function drawCan(p: Product): void {
  const { ctx, cx, base, w, h } = p;
  const half = w / 2;
  const e = half * 0.2;
  cylinder(ctx, cx, base - h + e, base - e, half, e, p.color, Math.max(0.5, p.shine));
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

export function drawTube(p: Product): void {
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

export function drawBox(p: Product): void {
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
  texture(p, left, top, w, h);
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
  if (p.label) ctx.fillText(p.label, left + w / 2, top + h * 0.46);
  else mark(ctx, left + w / 2, top + h * 0.4, w * 0.1, ink);
  ctx.letterSpacing = "0px";
  ctx.textAlign = "left";
  ctx.fillStyle = withAlpha(ink, 0.55);
  ctx.fillRect(left + w * 0.35, top + h * 0.54, w * 0.3, Math.max(1, unit * 0.3));
}

export function drawSphere(p: Product): void {
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

export function drawMug(p: Product): void {
  const { ctx, cx, base, w, h, unit } = p;
  const half = w / 2;
  const e = half * 0.22;
  const left = cx - half * 0.2;
  // The handle first, so the body covers its roots.
  ctx.strokeStyle = finish(p, cx + half * 0.7, cx + half * 1.45);
  ctx.lineWidth = w * 0.11;
  ctx.beginPath();
  ctx.ellipse(cx + half * 0.98, base - h * 0.5, half * 0.38, h * 0.24, 0, -Math.PI / 2, Math.PI / 2);
  ctx.stroke();
  cylinder(ctx, left + half * 0.2, base - h + e, base - e, half, e, p.color, p.shine);
  ctx.fillStyle = mix(p.color, "#ffffff", 0.2);
  ctx.beginPath();
  ctx.ellipse(cx, base - h + e, half, e, 0, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = "#3b2618";
  ctx.beginPath();
  ctx.ellipse(cx, base - h + e * 1.15, half * 0.88, e * 0.78, 0, 0, Math.PI * 2);
  ctx.fill();
  if (p.label) {
    ctx.fillStyle = luminance(p.color) > 0.6 ? "#1f1f22" : "#f7f3ea";
    ctx.textAlign = "center";
    ctx.font = `700 ${Math.min(unit * 4, (w * 1.2) / Math.max(4, p.label.length))}px "${FONT.serif}"`;
    ctx.fillText(p.label, cx, base - h * 0.42);
    ctx.textAlign = "left";
  }
  if (p.shine > 0.2) gloss(ctx, cx - half * 0.62, base - h * 0.85, half * 0.14, h * 0.6);
}

export function drawCandle(p: Product): void {
  const { ctx, cx, base, w, h, unit } = p;
  const half = w / 2;
  const e = half * 0.22;
  const wax = mix(p.color, "#fff6e8", 0.5);
  // Wax inside a glass tumbler: the wax's top sits below the rim, the flame above it.
  cylinder(ctx, cx, base - h * 0.62, base - e, half * 0.94, e, wax, 0.25);
  ctx.fillStyle = mix(wax, "#ffffff", 0.3);
  ctx.beginPath();
  ctx.ellipse(cx, base - h * 0.62, half * 0.94, e, 0, 0, Math.PI * 2);
  ctx.fill();
  ctx.globalAlpha = 0.28;
  cylinder(ctx, cx, base - h + e, base - e, half, e, "#e8eef2", 0.7);
  ctx.globalAlpha = 1;
  ctx.strokeStyle = "rgba(255,255,255,0.6)";
  ctx.lineWidth = Math.max(1, unit * 0.25);
  ctx.beginPath();
  ctx.ellipse(cx, base - h + e, half, e, 0, 0, Math.PI * 2);
  ctx.stroke();
  ctx.fillStyle = "#2b2118";
  ctx.fillRect(cx - unit * 0.2, base - h * 0.7, unit * 0.4, h * 0.08);
  const fy = base - h * 0.78;
  const glowG = ctx.createRadialGradient(cx, fy, 0, cx, fy, w * 0.6);
  glowG.addColorStop(0, "rgba(255,200,110,0.55)");
  glowG.addColorStop(1, "rgba(255,200,110,0)");
  ctx.fillStyle = glowG;
  ctx.fillRect(cx - w * 0.6, fy - w * 0.6, w * 1.2, w * 1.2);
  ctx.fillStyle = "#ffd27a";
  ctx.beginPath();
  ctx.ellipse(cx, fy, unit * 0.9, unit * 2.1, 0, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = "#fff4d6";
  ctx.beginPath();
  ctx.ellipse(cx, fy + unit * 0.6, unit * 0.45, unit * 1, 0, 0, Math.PI * 2);
  ctx.fill();
  drawLabel(p, base - h * 0.45, h * 0.22, half * 0.98, e);
}

export function drawPlantPot(p: Product): void {
  const { ctx, cx, base, w, h } = p;
  const top = base - h * 0.5;
  const half = w / 2;
  // Leaves first, rising from the soil and fanning out.
  for (let i = 0; i < 9; i++) {
    const angle = -Math.PI / 2 + (i - 4) * 0.3 + p.random.range(-0.1, 0.1);
    const len = h * p.random.range(0.35, 0.55);
    ctx.save();
    ctx.translate(cx + (i - 4) * w * 0.02, top);
    ctx.rotate(angle + Math.PI / 2);
    ctx.fillStyle = mix("#2f7a3a", i % 2 ? "#000000" : "#9be07a", 0.2);
    ctx.beginPath();
    ctx.ellipse(0, -len / 2, len * 0.16, len / 2, 0, 0, Math.PI * 2);
    ctx.fill();
    ctx.restore();
  }
  ctx.fillStyle = finish(p, cx - half, cx + half);
  ctx.beginPath();
  ctx.moveTo(cx - half, top);
  ctx.lineTo(cx + half, top);
  ctx.lineTo(cx + half * 0.75, base);
  ctx.lineTo(cx - half * 0.75, base);
  ctx.closePath();
  ctx.fill();
  ctx.fillStyle = cylinderShade(
    ctx,
    cx - half * 1.04,
    cx + half * 1.04,
    mix(p.color, "#000000", 0.08),
    p.shine,
  );
  ctx.fillRect(cx - half * 1.04, top - h * 0.02, half * 2.08, h * 0.09);
  ctx.fillStyle = "#3a2a1e";
  ctx.beginPath();
  ctx.ellipse(cx, top - h * 0.02, half * 0.96, half * 0.12, 0, 0, Math.PI * 2);
  ctx.fill();
}

export function drawBook(p: Product): void {
  const { ctx, cx, base, w, h, unit } = p;
  const spine = w * 0.14;
  const left = cx - w / 2 + spine;
  const top = base - h;
  // Pages show along the top and right edge; the spine on the left is the cover's darker fold.
  ctx.fillStyle = "#efe8d8";
  ctx.beginPath();
  ctx.moveTo(left, top);
  ctx.lineTo(left + w * 0.06, top - w * 0.05);
  ctx.lineTo(left + w - spine + w * 0.06, top - w * 0.05);
  ctx.lineTo(left + w - spine + w * 0.06, base - w * 0.05);
  ctx.lineTo(left + w - spine, base);
  ctx.closePath();
  ctx.fill();
  ctx.fillStyle = mix(p.color, "#000000", 0.3);
  ctx.fillRect(left - spine, top, spine, h);
  const cover = ctx.createLinearGradient(left, top, left + w, base);
  cover.addColorStop(0, mix(p.color, "#ffffff", 0.1));
  cover.addColorStop(1, mix(p.color, "#000000", 0.12));
  ctx.fillStyle = cover;
  ctx.fillRect(left, top, w - spine, h);
  texture(p, left, top, w - spine, h);
  const ink = luminance(p.color) > 0.6 ? "#1f1f22" : "#f4ecd8";
  ctx.fillStyle = ink;
  ctx.fillRect(left + w * 0.1, top + h * 0.14, w * 0.55, Math.max(1, unit * 0.3));
  ctx.fillRect(left + w * 0.1, top + h * 0.82, w * 0.55, Math.max(1, unit * 0.3));
  ctx.textAlign = "center";
  let size = unit * 5;
  ctx.font = `700 ${size}px "${FONT.serif}"`;
  const text = p.label || "";
  while (ctx.measureText(text).width > (w - spine) * 0.8 && size > unit) {
    size *= 0.9;
    ctx.font = `700 ${size}px "${FONT.serif}"`;
  }
  if (text) ctx.fillText(text, left + (w - spine) / 2, top + h * 0.45);
  else mark(ctx, left + (w - spine) / 2, top + h * 0.42, w * 0.1, ink);
  ctx.textAlign = "left";
  ctx.fillStyle = withAlpha("#ffffff", 0.12);
  ctx.fillRect(left, top, w * 0.05, h);
}

export function drawPerfume(p: Product): void {
  const { ctx, cx, base, w, h } = p;
  const bodyH = h * 0.62;
  const top = base - bodyH;
  const half = w / 2;
  // A thick glass flacon: a pale shell, the coloured scent inside it, a heavy cap.
  ctx.fillStyle = cylinderShade(ctx, cx - half, cx + half, mix(p.color, "#ffffff", 0.55), 0.7);
  ctx.globalAlpha = 0.85;
  ctx.beginPath();
  ctx.roundRect(cx - half, top, w, bodyH, w * 0.08);
  ctx.fill();
  ctx.globalAlpha = 1;
  ctx.fillStyle = cylinderShade(ctx, cx - half * 0.8, cx + half * 0.8, p.color, 0.5);
  ctx.beginPath();
  ctx.roundRect(cx - half * 0.8, top + bodyH * 0.18, w * 0.8, bodyH * 0.74, w * 0.05);
  ctx.fill();
  ctx.fillStyle = "#c9a44c";
  ctx.fillRect(cx - w * 0.08, top - h * 0.08, w * 0.16, h * 0.08);
  const capColor = p.random.pick(["#1d1d20", "#c9a44c", "#ece8df"]);
  ctx.fillStyle = cylinderShade(ctx, cx - w * 0.2, cx + w * 0.2, capColor, 0.6);
  ctx.beginPath();
  ctx.roundRect(cx - w * 0.2, base - h, w * 0.4, h * 0.3, w * 0.04);
  ctx.fill();
  drawLabel(p, top + bodyH * 0.4, bodyH * 0.26, half * 0.6, 0);
  gloss(ctx, cx - half * 0.85, top + bodyH * 0.08, half * 0.1, bodyH * 0.8);
}
