import { FONT } from "../../fonts";
import { luminance, mix, withAlpha } from "../../palette";
import { cylinderShade, finish, mark, type Product, texture } from "./parts";

// Things that are the product themselves: shoes, bags, devices, watches.

/** A sneaker seen from the side, toe to the right: sole, upper, collar, laces and a side stripe. */
export function drawShoe(p: Product): void {
  const { ctx, cx, base, w, h, unit } = p;
  const l = cx - w / 2;
  const sole = h * 0.22;
  const upper = ctx.createLinearGradient(0, base - h, 0, base);
  upper.addColorStop(0, mix(p.color, "#ffffff", p.shine * 0.4));
  upper.addColorStop(1, mix(p.color, "#000000", 0.25));
  ctx.fillStyle = upper;
  ctx.beginPath();
  ctx.moveTo(l + w * 0.02, base - sole);
  ctx.bezierCurveTo(l - w * 0.01, base - h * 0.7, l + w * 0.05, base - h, l + w * 0.2, base - h);
  ctx.lineTo(l + w * 0.34, base - h * 0.92);
  ctx.bezierCurveTo(
    l + w * 0.5,
    base - h * 0.7,
    l + w * 0.75,
    base - h * 0.55,
    l + w * 0.93,
    base - h * 0.42,
  );
  ctx.bezierCurveTo(l + w * 1.02, base - h * 0.36, l + w * 1.01, base - sole, l + w * 0.96, base - sole);
  ctx.closePath();
  ctx.fill();
  ctx.save();
  ctx.clip();
  texture(p, l, base - h, w, h);
  ctx.restore();
  // The collar opening at the heel, laces across the instep, a stripe along the side.
  ctx.fillStyle = mix(p.color, "#000000", 0.55);
  ctx.beginPath();
  ctx.ellipse(l + w * 0.24, base - h * 0.93, w * 0.1, h * 0.07, -0.15, 0, Math.PI * 2);
  ctx.fill();
  ctx.strokeStyle = luminance(p.color) > 0.7 ? "#2a2a2e" : "#f6f4ef";
  ctx.lineWidth = Math.max(1.5, unit * 0.55);
  for (let i = 0; i < 5; i++) {
    const x = l + w * (0.38 + i * 0.075);
    const y = base - h * (0.84 - i * 0.075);
    ctx.beginPath();
    ctx.moveTo(x - w * 0.03, y - h * 0.04);
    ctx.lineTo(x + w * 0.03, y + h * 0.06);
    ctx.stroke();
  }
  ctx.strokeStyle = withAlpha(luminance(p.color) > 0.6 ? "#1f1f22" : "#ffffff", 0.85);
  ctx.lineWidth = h * 0.06;
  ctx.beginPath();
  ctx.moveTo(l + w * 0.12, base - sole - h * 0.12);
  ctx.quadraticCurveTo(l + w * 0.5, base - sole - h * 0.05, l + w * 0.7, base - h * 0.55);
  ctx.stroke();
  // The sole: a pale midsole with a darker tread line.
  ctx.fillStyle = "#f3f1ec";
  ctx.beginPath();
  ctx.roundRect(l, base - sole, w, sole * 0.8, sole * 0.35);
  ctx.fill();
  ctx.fillStyle = "#55524d";
  ctx.beginPath();
  ctx.roundRect(l + w * 0.01, base - sole * 0.28, w * 0.98, sole * 0.28, sole * 0.14);
  ctx.fill();
}

/** A tote: a tapered body, two handles, a seam along the top. */
export function drawBag(p: Product): void {
  const { ctx, cx, base, w, h, unit } = p;
  const bodyTop = base - h * 0.62;
  ctx.strokeStyle = mix(p.color, "#000000", 0.3);
  ctx.lineWidth = w * 0.045;
  for (const dx of [-0.18, 0.18]) {
    ctx.beginPath();
    ctx.ellipse(cx + dx * w, bodyTop, w * 0.14, h * 0.36, 0, Math.PI, 0);
    ctx.stroke();
  }
  ctx.fillStyle = finish(p, cx - w / 2, cx + w / 2);
  ctx.beginPath();
  ctx.moveTo(cx - w * 0.42, bodyTop);
  ctx.lineTo(cx + w * 0.42, bodyTop);
  ctx.lineTo(cx + w * 0.5, base - h * 0.03);
  ctx.quadraticCurveTo(cx + w * 0.5, base, cx + w * 0.46, base);
  ctx.lineTo(cx - w * 0.46, base);
  ctx.quadraticCurveTo(cx - w * 0.5, base, cx - w * 0.5, base - h * 0.03);
  ctx.closePath();
  ctx.fill();
  ctx.save();
  ctx.clip();
  texture(p, cx - w / 2, bodyTop, w, h);
  ctx.restore();
  ctx.setLineDash([unit * 0.8, unit * 0.6]);
  ctx.strokeStyle = withAlpha(luminance(p.color) > 0.6 ? "#000000" : "#ffffff", 0.45);
  ctx.lineWidth = Math.max(1, unit * 0.2);
  ctx.beginPath();
  ctx.moveTo(cx - w * 0.41, bodyTop + h * 0.05);
  ctx.lineTo(cx + w * 0.41, bodyTop + h * 0.05);
  ctx.stroke();
  ctx.setLineDash([]);
  const ink = luminance(p.color) > 0.6 ? "#1f1f22" : "#f7f3ea";
  if (p.label) {
    ctx.fillStyle = ink;
    ctx.textAlign = "center";
    ctx.font = `700 ${Math.min(unit * 4.5, (w * 1.3) / Math.max(4, p.label.length))}px "${FONT.serif}"`;
    ctx.fillText(p.label, cx, bodyTop + h * 0.33);
    ctx.textAlign = "left";
  } else mark(ctx, cx, bodyTop + h * 0.28, w * 0.05, ink);
}

/** A phone standing upright, screen lit with a wallpaper in its colour. */
export function drawPhone(p: Product): void {
  const { ctx, cx, base, w, h, unit } = p;
  const left = cx - w / 2;
  ctx.fillStyle = cylinderShade(ctx, left, left + w, mix(p.color, "#000000", 0.1), 0.5);
  ctx.beginPath();
  ctx.roundRect(left, base - h, w, h, w * 0.16);
  ctx.fill();
  const inset = w * 0.05;
  const screen = ctx.createLinearGradient(left, base - h, left + w, base);
  screen.addColorStop(0, mix(p.color, "#ffffff", 0.35));
  screen.addColorStop(0.6, p.color);
  screen.addColorStop(1, mix(p.color, "#000000", 0.5));
  ctx.fillStyle = "#0c0c0e";
  ctx.beginPath();
  ctx.roundRect(left + inset * 0.6, base - h + inset * 0.6, w - inset * 1.2, h - inset * 1.2, w * 0.13);
  ctx.fill();
  ctx.fillStyle = screen;
  ctx.beginPath();
  ctx.roundRect(left + inset, base - h + inset, w - inset * 2, h - inset * 2, w * 0.11);
  ctx.fill();
  ctx.fillStyle = "#0c0c0e";
  ctx.beginPath();
  ctx.roundRect(cx - w * 0.14, base - h + inset * 1.6, w * 0.28, w * 0.08, w * 0.04);
  ctx.fill();
  ctx.fillStyle = "#ffffff";
  ctx.textAlign = "center";
  ctx.font = `600 ${w * 0.2}px "${FONT.sans}"`;
  ctx.fillText("9:41", cx, base - h * 0.7);
  ctx.textAlign = "left";
  ctx.fillStyle = withAlpha("#ffffff", 0.1);
  ctx.beginPath();
  ctx.moveTo(left + inset, base - h + inset);
  ctx.lineTo(left + w * 0.7, base - h + inset);
  ctx.lineTo(left + inset, base - h * 0.35);
  ctx.closePath();
  ctx.fill();
  ctx.fillStyle = withAlpha("#ffffff", 0.6);
  ctx.fillRect(cx - w * 0.18, base - inset * 2, w * 0.36, Math.max(1, unit * 0.35));
}

/** A watch face on end, its strap running up and down out of the frame of the product. */
export function drawWatch(p: Product): void {
  const { ctx, cx, base, w, h, unit } = p;
  const r = w * 0.42;
  const cy = base - h / 2;
  // A silver or gold watch wears a dark strap (or the second colour named); any other colour is the strap's own.
  const metallic = p.color === "#a8adb3" || p.color === "#c9962b";
  const strap = p.color2 ?? (metallic ? "#2e2e33" : mix(p.color, "#000000", 0.15));
  const strapGradient = ctx.createLinearGradient(cx - r * 0.62, 0, cx + r * 0.62, 0);
  strapGradient.addColorStop(0, mix(strap, "#000000", 0.35));
  strapGradient.addColorStop(0.3, mix(strap, "#ffffff", 0.08));
  strapGradient.addColorStop(1, mix(strap, "#000000", 0.3));
  ctx.fillStyle = strapGradient;
  ctx.beginPath();
  ctx.moveTo(cx - r * 0.55, base - h);
  ctx.lineTo(cx + r * 0.55, base - h);
  ctx.lineTo(cx + r * 0.66, cy);
  ctx.lineTo(cx + r * 0.55, base);
  ctx.lineTo(cx - r * 0.55, base);
  ctx.lineTo(cx - r * 0.66, cy);
  ctx.closePath();
  ctx.fill();
  ctx.fillStyle = withAlpha("#000000", 0.35);
  for (let i = 0; i < 3; i++) {
    ctx.beginPath();
    ctx.arc(cx, base - h * (0.06 + i * 0.06), unit * 0.45, 0, Math.PI * 2);
    ctx.fill();
  }
  const metal = metallic ? p.color : "#b9bec4";
  if (p.smart) {
    drawSmartFace(p, cx, cy, r, metal);
    return;
  }
  const bezel = ctx.createLinearGradient(cx - r, cy - r, cx + r, cy + r);
  bezel.addColorStop(0, mix(metal, "#ffffff", 0.6));
  bezel.addColorStop(0.5, metal);
  bezel.addColorStop(1, mix(metal, "#000000", 0.45));
  ctx.fillStyle = bezel;
  ctx.beginPath();
  ctx.arc(cx, cy, r * 1.08, 0, Math.PI * 2);
  ctx.fill();
  const dial = luminance(p.color) > 0.55 ? mix(p.color, "#ffffff", 0.4) : mix(p.color, "#000000", 0.35);
  ctx.fillStyle = dial;
  ctx.beginPath();
  ctx.arc(cx, cy, r * 0.92, 0, Math.PI * 2);
  ctx.fill();
  const ink = luminance(dial) > 0.5 ? "#1c1c1e" : "#f5f5f0";
  ctx.strokeStyle = ink;
  for (let i = 0; i < 12; i++) {
    const a = (i / 12) * Math.PI * 2;
    ctx.lineWidth = Math.max(1, unit * (i % 3 === 0 ? 0.6 : 0.3));
    ctx.beginPath();
    ctx.moveTo(cx + Math.cos(a) * r * 0.78, cy + Math.sin(a) * r * 0.78);
    ctx.lineTo(cx + Math.cos(a) * r * 0.88, cy + Math.sin(a) * r * 0.88);
    ctx.stroke();
  }
  ctx.lineCap = "round";
  for (const [angle, len, width] of [
    [-2.2, 0.5, 0.9],
    [-0.6, 0.72, 0.6],
  ] as const) {
    ctx.lineWidth = unit * width;
    ctx.beginPath();
    ctx.moveTo(cx, cy);
    ctx.lineTo(cx + Math.cos(angle) * r * len, cy + Math.sin(angle) * r * len);
    ctx.stroke();
  }
  ctx.lineCap = "butt";
  if (p.label) {
    ctx.fillStyle = ink;
    ctx.textAlign = "center";
    ctx.font = `600 ${Math.min(unit * 2.4, ((r * 1.1) / Math.max(3, p.label.length)) * 1.6)}px "${FONT.sans}"`;
    ctx.fillText(p.label, cx, cy + r * 0.45);
    ctx.textAlign = "left";
  }
  ctx.fillStyle = withAlpha("#ffffff", 0.12);
  ctx.beginPath();
  ctx.arc(cx, cy, r * 0.92, Math.PI, Math.PI * 1.6);
  ctx.lineTo(cx, cy);
  ctx.fill();
}

/** Over-ear headphones: a headband arc, sliders and two cushioned cups. */
export function drawHeadphones(p: Product): void {
  const { ctx, cx, base, w, h } = p;
  const cupW = w * 0.22;
  const cupH = h * 0.42;
  const cy = base - cupH / 2;
  ctx.strokeStyle = finish(p, cx - w / 2, cx + w / 2);
  ctx.lineWidth = w * 0.07;
  ctx.lineCap = "round";
  ctx.beginPath();
  ctx.ellipse(cx, cy - cupH * 0.25, w * 0.38, h * 0.72, 0, Math.PI * 1.05, Math.PI * 1.95);
  ctx.stroke();
  ctx.lineCap = "butt";
  for (const side of [-1, 1]) {
    const x = cx + side * w * 0.36;
    ctx.fillStyle = cylinderShade(ctx, x - cupW / 2, x + cupW / 2, mix(p.color, "#000000", 0.1), p.shine);
    ctx.beginPath();
    ctx.roundRect(x - cupW / 2, cy - cupH / 2, cupW, cupH, cupW * 0.45);
    ctx.fill();
    ctx.fillStyle = mix(p.color, "#000000", 0.55);
    ctx.beginPath();
    ctx.roundRect(
      x - side * cupW * 0.55 - cupW * 0.14,
      cy - cupH * 0.42,
      cupW * 0.28,
      cupH * 0.84,
      cupW * 0.14,
    );
    ctx.fill();
  }
}

/** A laptop open towards the viewer: the lid with its screen, the deck with keys in perspective. */
export function drawLaptop(p: Product): void {
  const { ctx, cx, base, w, h } = p;
  const deckH = h * 0.18;
  const lidH = h - deckH;
  const body = p.color;
  ctx.fillStyle = mix(body, "#000000", 0.2);
  ctx.beginPath();
  ctx.roundRect(cx - w * 0.42, base - h, w * 0.84, lidH, w * 0.02);
  ctx.fill();
  const screen = ctx.createLinearGradient(cx - w * 0.4, base - h, cx + w * 0.4, base - deckH);
  screen.addColorStop(0, "#1e3a5f");
  screen.addColorStop(0.5, mix(body, "#3b82f6", 0.5));
  screen.addColorStop(1, "#0b1020");
  ctx.fillStyle = "#0a0a0c";
  ctx.fillRect(cx - w * 0.4, base - h + lidH * 0.04, w * 0.8, lidH * 0.92);
  ctx.fillStyle = screen;
  ctx.fillRect(cx - w * 0.385, base - h + lidH * 0.07, w * 0.77, lidH * 0.86);
  ctx.fillStyle = withAlpha("#ffffff", 0.08);
  ctx.beginPath();
  ctx.moveTo(cx - w * 0.385, base - h + lidH * 0.07);
  ctx.lineTo(cx + w * 0.1, base - h + lidH * 0.07);
  ctx.lineTo(cx - w * 0.385, base - deckH - lidH * 0.2);
  ctx.closePath();
  ctx.fill();
  ctx.fillStyle = cylinderShade(ctx, cx - w / 2, cx + w / 2, mix(body, "#ffffff", 0.1), p.shine);
  ctx.beginPath();
  ctx.moveTo(cx - w * 0.42, base - deckH);
  ctx.lineTo(cx + w * 0.42, base - deckH);
  ctx.lineTo(cx + w * 0.5, base - deckH * 0.15);
  ctx.lineTo(cx - w * 0.5, base - deckH * 0.15);
  ctx.closePath();
  ctx.fill();
  ctx.fillStyle = mix(body, "#000000", 0.35);
  ctx.fillRect(cx - w * 0.5, base - deckH * 0.15, w, deckH * 0.15);
  ctx.fillStyle = withAlpha("#000000", 0.25);
  for (let row = 0; row < 4; row++) {
    const f = row / 4;
    const y = base - deckH * (0.92 - f * 0.6);
    const span = w * (0.34 + f * 0.05);
    for (let k = 0; k < 14; k++)
      ctx.fillRect(cx - span + (k * span * 2) / 14, y, (span * 2) / 14 - 2, deckH * 0.1);
  }
}

/** A smartwatch: a rounded square case and a black screen with activity rings and the time. */
function drawSmartFace(p: Product, cx: number, cy: number, r: number, metal: string): void {
  const { ctx, unit } = p;
  const side = r * 1.9;
  const caseFill = ctx.createLinearGradient(cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2);
  caseFill.addColorStop(0, mix(metal, "#ffffff", 0.5));
  caseFill.addColorStop(0.5, metal);
  caseFill.addColorStop(1, mix(metal, "#000000", 0.45));
  ctx.fillStyle = caseFill;
  ctx.beginPath();
  ctx.roundRect(cx - side / 2, cy - side * 0.6, side, side * 1.2, side * 0.28);
  ctx.fill();
  ctx.fillStyle = "#060608";
  ctx.beginPath();
  ctx.roundRect(cx - side * 0.43, cy - side * 0.52, side * 0.86, side * 1.04, side * 0.22);
  ctx.fill();
  ctx.lineCap = "round";
  ["#fa114f", "#92e82a", "#1eeaef"].forEach((color, i) => {
    const rr = side * (0.3 - i * 0.08);
    ctx.strokeStyle = withAlpha(color, 0.25);
    ctx.lineWidth = side * 0.06;
    ctx.beginPath();
    ctx.arc(cx, cy + side * 0.08, rr, 0, Math.PI * 2);
    ctx.stroke();
    ctx.strokeStyle = color;
    ctx.beginPath();
    ctx.arc(cx, cy + side * 0.08, rr, -Math.PI / 2, -Math.PI / 2 + Math.PI * (1.1 + i * 0.3));
    ctx.stroke();
  });
  ctx.lineCap = "butt";
  ctx.fillStyle = "#ffffff";
  ctx.textAlign = "center";
  ctx.font = `600 ${Math.max(8, side * 0.12)}px "${FONT.sans}"`;
  ctx.fillText("10:09", cx, cy - side * 0.3);
  ctx.textAlign = "left";
  ctx.fillStyle = mix(metal, "#000000", 0.3);
  ctx.fillRect(cx + side / 2 - unit * 0.2, cy - side * 0.2, unit * 0.8, side * 0.2);
}
