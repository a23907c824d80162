import { FONT } from "../fonts";
import { luminance, withAlpha } from "../palette";
import { blockHeight, drawLines, fitText } from "../text";
import { drawIcon } from "./illustration";
import { fillBackground, glow, type Scene } from "./scene";

/**
 * A square post: bold shapes bleeding off the edges and the prompt set large in a grotesk, centred on a card.
 */
export function drawSocialPost(scene: Scene): void {
  const { ctx, width, height, prompt, random, palette, spec } = scene;
  const rtl = spec.direction === "rtl";
  fillBackground(scene);
  const unit = Math.min(width, height) / 100;

  // A big disc off the top right corner, a rotated frame bottom left, a scatter of small dots.
  glow(ctx, width * 0.5, height * 0.5, Math.max(width, height) * 0.6, palette.accent2, 0.18);
  ctx.fillStyle = palette.accent;
  ctx.beginPath();
  ctx.arc(
    width * random.range(0.82, 0.98),
    height * random.range(0.02, 0.18),
    unit * random.range(24, 32),
    0,
    Math.PI * 2,
  );
  ctx.fill();
  ctx.save();
  ctx.translate(width * random.range(0.05, 0.18), height * random.range(0.82, 0.95));
  ctx.rotate(random.range(-0.5, 0.5));
  ctx.strokeStyle = palette.accent2;
  ctx.lineWidth = unit * 2.2;
  ctx.strokeRect(-unit * 14, -unit * 14, unit * 28, unit * 28);
  ctx.restore();
  for (let i = 0; i < 14; i++) {
    ctx.fillStyle = withAlpha(palette.ink, random.range(0.15, 0.4));
    ctx.beginPath();
    ctx.arc(width * random.next(), height * random.next(), unit * random.range(0.5, 1.3), 0, Math.PI * 2);
    ctx.fill();
  }

  // The card: light on dark palettes, dark on light ones, so the text always has contrast.
  const cardLight = luminance(palette.background[0]) < 0.5;
  const cardColor = cardLight ? "#fbfaf7" : "#17161a";
  const textColor = cardLight ? "#17161a" : "#fbfaf7";
  const cardWidth = width * 0.74;
  const padding = unit * 7;
  const title = fitText(ctx, prompt, {
    // Space Grotesk is Latin only: other scripts are set in Inter and the Noto faces.
    family: spec.scripts.some((s) => s !== "emoji") ? FONT.sans : FONT.grotesk,
    weight: 700,
    maxWidth: cardWidth - padding * 2,
    maxHeight: height * 0.5,
    maxSize: Math.round(unit * 9),
    minSize: Math.max(12, Math.round(unit * 3.2)),
    lineHeight: 1.12,
    maxLines: 7,
  });
  // The prompt's subjects as a row of pictures at the top of the card.
  const icons = spec.subjects.slice(0, 3);
  const iconSize = unit * 11;
  const iconRow = icons.length ? iconSize + unit * 3 : 0;
  const cardHeight = blockHeight(title) + padding * 2 + unit * 6 + iconRow;
  const cardX = (width - cardWidth) / 2;
  const cardY = (height - cardHeight) / 2;
  ctx.save();
  ctx.shadowColor = "rgba(0, 0, 0, 0.28)";
  ctx.shadowBlur = unit * 6;
  ctx.shadowOffsetY = unit * 2;
  ctx.fillStyle = cardColor;
  ctx.beginPath();
  ctx.roundRect(cardX, cardY, cardWidth, cardHeight, unit * 3);
  ctx.fill();
  ctx.restore();

  icons.forEach((name, i) => {
    const step = iconSize + unit * 2;
    const ix = rtl ? cardX + cardWidth - padding - iconSize - i * step : cardX + padding + i * step;
    drawIcon(ctx, name, ix, cardY + padding, iconSize);
  });
  const textTop = cardY + padding + iconRow;
  ctx.fillStyle = palette.accent;
  ctx.beginPath();
  const barX = rtl ? cardX + cardWidth - padding - unit * 10 : cardX + padding;
  ctx.roundRect(barX, textTop, unit * 10, unit * 1.4, unit * 0.7);
  ctx.fill();
  ctx.fillStyle = textColor;
  drawLines(ctx, title, cardX + padding, textTop + unit * 6, rtl, cardWidth - padding * 2);
}
