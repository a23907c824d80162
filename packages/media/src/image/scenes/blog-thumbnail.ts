import { FONT } from "../fonts";
import { withAlpha } from "../palette";
import { blockHeight, drawLines, fitText } from "../text";
import { drawIllustration } from "./illustration";
import { fillBackground, glow, type Scene } from "./scene";

/**
 * A hero card: the prompt typeset as the title on the left, a kicker bar above it, a decorative motif on the
 * right and soft glows behind. Laid out in fractions of the canvas so other sizes than 1200×630 work too.
 */
export function drawBlogThumbnail(scene: Scene): void {
  const { ctx, width, height, prompt, random, palette, spec } = scene;
  const rtl = spec.direction === "rtl";
  fillBackground(scene);
  glow(
    ctx,
    width * random.range(0.7, 0.95),
    height * random.range(0.1, 0.4),
    width * 0.45,
    palette.accent,
    0.35,
  );
  glow(ctx, width * random.range(0.05, 0.3), height * 1.05, width * 0.4, palette.accent2, 0.22);

  const portrait = height > width * 0.9;
  const margin = Math.min(width, height) * 0.09;
  const motifSize = portrait ? Math.min(width, height) * 0.36 : Math.min(height * 0.62, width * 0.3);
  // Right-to-left titles read from the right, so the picture moves to the left.
  const motifX = rtl ? margin : width - margin - motifSize;
  const motifBox = portrait
    ? { x: motifX, y: margin, size: motifSize }
    : { x: motifX, y: (height - motifSize) / 2, size: motifSize };
  drawIllustration(ctx, motifBox, spec.subjects, palette, random);

  const textWidth = portrait ? width - margin * 2 : width - motifSize - margin * 3;
  const textX = rtl && !portrait ? margin * 2 + motifSize : margin;
  const textTop = portrait ? motifBox.y + motifSize + margin * 0.6 : margin * 1.55;
  const textBottom = height - margin * 1.5;
  // Playfair has no CJK, Arabic or Hebrew: those titles are set in the sans and its Noto fallbacks.
  const latinish = spec.scripts.every((s) => s === "cyrillic" || s === "emoji");
  const serif = (palette.dark ? random.chance(0.35) : random.chance(0.7)) && latinish;
  const title = fitText(ctx, prompt, {
    family: serif ? FONT.serif : FONT.sans,
    weight: serif ? 700 : 800,
    maxWidth: textWidth,
    maxHeight: textBottom - textTop,
    maxSize: Math.round(height * (portrait ? 0.08 : 0.115)),
    minSize: Math.max(12, Math.round(height * 0.04)),
    lineHeight: serif ? 1.14 : 1.1,
    maxLines: 5,
  });
  const titleHeight = blockHeight(title);
  const top = portrait ? textTop : Math.max(textTop, (height - titleHeight) / 2);

  // The kicker: a short accent bar and a row of dots above the title.
  const unit = Math.min(width, height) / 100;
  const kickerX = rtl ? textX + textWidth - unit * 9 : textX;
  ctx.fillStyle = palette.accent;
  ctx.beginPath();
  ctx.roundRect(kickerX, top - unit * 6, unit * 9, unit * 1.3, unit * 0.65);
  ctx.fill();
  for (let i = 0; i < 3; i++) {
    ctx.fillStyle = withAlpha(palette.ink, 0.35);
    ctx.beginPath();
    const dx = unit * (12 + i * 2.6);
    ctx.arc(rtl ? textX + textWidth - dx : textX + dx, top - unit * 5.35, unit * 0.65, 0, Math.PI * 2);
    ctx.fill();
  }

  ctx.fillStyle = palette.ink;
  drawLines(ctx, title, textX, top, rtl, textWidth);

  // A hairline footer gives the card a finished edge.
  ctx.fillStyle = withAlpha(palette.ink, 0.18);
  ctx.fillRect(margin, height - margin * 0.7, width - margin * 2, Math.max(1, unit * 0.2));
  ctx.fillStyle = palette.accent2;
  ctx.fillRect(margin, height - margin * 0.7, unit * 14, Math.max(1, unit * 0.2));
}
