import type { SKRSContext2D } from "@napi-rs/canvas";
import { Image } from "@napi-rs/canvas";
import { FALLBACKS, type FontFamily } from "./fonts";
import { emojiIcon, iconSvg } from "./prompt/icons";

export interface TextBlockOptions {
  family: FontFamily;
  weight: number;
  maxWidth: number;
  maxHeight: number;
  maxSize: number;
  minSize: number;
  /** Line height as a multiple of the font size. */
  lineHeight: number;
  maxLines: number;
}

export interface TextBlock {
  font: string;
  size: number;
  lineHeight: number;
  /** Each emoji is an em space here, drawn as a picture of the bundled emoji set (`icons`, in order). */
  lines: string[];
  icons: string[];
}

export function font(weight: number, size: number, family: FontFamily): string {
  return `${weight} ${size}px "${family}", ${FALLBACKS}`;
}

const EMOJI =
  /\p{Extended_Pictographic}(\uFE0F|\u200D\p{Extended_Pictographic}\uFE0F?)*|\p{Regional_Indicator}{2}/gu;
/** An em space holds an emoji's place: Inter has it, one em wide, so layout never depends on system fonts. */
const SLOT = "\u2003";

/** The text with each emoji the set can draw replaced by a slot, and those emoji's icon names. */
function withSlots(text: string): { text: string; icons: string[] } {
  const icons: string[] = [];
  const slotted = text.replaceAll(SLOT, " ").replace(EMOJI, (emoji) => {
    const icon = emojiIcon(emoji);
    if (!icon) return "";
    icons.push(icon);
    return SLOT;
  });
  return { text: slotted, icons };
}

/**
 * The largest size at which the text fits the box in at most maxLines lines; at the smallest size the text is
 * cut at a word and ends with an ellipsis.
 */
export function fitText(ctx: SKRSContext2D, text: string, options: TextBlockOptions): TextBlock {
  // No glyph is narrower than about a fifth of an em, so text beyond this many characters can never be shown;
  // cutting it first keeps a 4000-character prompt from costing seconds of measuring.
  const shown = Math.ceil((options.maxLines * options.maxWidth) / (options.minSize * 0.2));
  const slotted = withSlots(text.slice(0, shown * 2));
  const icons = slotted.icons;
  // Not trim(): it would also strip an emoji's slot (an em space) at either end.
  const clean = slotted.text
    .replace(/[^\S\u2003]+/g, " ")
    .replace(/^ +| +$/g, "")
    .slice(0, shown);
  for (let size = options.maxSize; size >= options.minSize; size -= Math.max(1, Math.round(size * 0.04))) {
    ctx.font = font(options.weight, size, options.family);
    const lines = wrap(ctx, clean, options.maxWidth, options.maxLines + 1);
    const height = lines.length * size * options.lineHeight;
    if (lines.length <= options.maxLines && height <= options.maxHeight) {
      return { font: ctx.font, size, lineHeight: size * options.lineHeight, lines, icons };
    }
  }
  const size = options.minSize;
  ctx.font = font(options.weight, size, options.family);
  const fitting = Math.max(
    1,
    Math.min(options.maxLines, Math.floor(options.maxHeight / (size * options.lineHeight))),
  );
  const wrapped = wrap(ctx, clean, options.maxWidth, fitting + 1);
  const lines = wrapped.slice(0, fitting);
  if (wrapped.length > fitting)
    lines[lines.length - 1] = ellipsize(ctx, lines[lines.length - 1] ?? "", options.maxWidth);
  return { font: ctx.font, size, lineHeight: size * options.lineHeight, lines, icons };
}

/**
 * Greedy word wrap; a word wider than the line is broken between characters. Stops after maxLines lines, since
 * callers only need to know that the text does not fit.
 */
export function wrap(
  ctx: SKRSContext2D,
  text: string,
  maxWidth: number,
  maxLines = Number.POSITIVE_INFINITY,
): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (lines.length >= maxLines) return lines;
    const candidate = line ? `${line} ${word}` : word;
    if (ctx.measureText(candidate).width <= maxWidth) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = "";
    let rest = word;
    while (ctx.measureText(rest).width > maxWidth && rest.length > 1 && lines.length < maxLines) {
      // Binary search for the longest prefix that fits.
      let low = 1;
      let high = rest.length - 1;
      while (low < high) {
        const mid = Math.ceil((low + high) / 2);
        if (ctx.measureText(rest.slice(0, mid)).width <= maxWidth) low = mid;
        else high = mid - 1;
      }
      lines.push(rest.slice(0, low));
      rest = rest.slice(low);
    }
    line = rest;
  }
  if (line) lines.push(line);
  return lines;
}

function ellipsize(ctx: SKRSContext2D, line: string, maxWidth: number): string {
  let text = line;
  while (text.length > 0 && ctx.measureText(`${text}…`).width > maxWidth) {
    const space = text.lastIndexOf(" ");
    text = space > 0 ? text.slice(0, space) : text.slice(0, -1);
  }
  return `${text.replace(/[\s,.;:–-]+$/, "")}…`;
}

/**
 * Draws the block's lines from `top`; left-aligned at `x`, or for right-to-left text right-aligned at `x + width`
 * with the slots of emoji placed from the right.
 */
export function drawLines(
  ctx: SKRSContext2D,
  block: TextBlock,
  x: number,
  top: number,
  rtl = false,
  width = 0,
): void {
  ctx.font = block.font;
  ctx.textBaseline = "alphabetic";
  ctx.direction = rtl ? "rtl" : "ltr";
  ctx.textAlign = rtl ? "right" : "left";
  let icon = 0;
  block.lines.forEach((line, i) => {
    // Cap height sits near 0.72 em for these faces; the first baseline goes one cap height below the top.
    const baseline = top + block.size * 0.78 + i * block.lineHeight;
    if (!line.includes(SLOT)) {
      ctx.fillText(line, rtl ? x + width : x, baseline);
      return;
    }
    let cursor = rtl ? x + width : x;
    const parts = line.split(SLOT);
    parts.forEach((part, k) => {
      ctx.fillText(part, cursor, baseline);
      cursor += (rtl ? -1 : 1) * ctx.measureText(part).width;
      if (k === parts.length - 1) return;
      const name = block.icons[icon++];
      const em = ctx.measureText(SLOT).width;
      const svg = name ? iconSvg(name, Math.ceil(block.size)) : undefined;
      if (svg) {
        const image = new Image();
        image.src = svg;
        ctx.drawImage(
          image,
          rtl ? cursor - em : cursor,
          baseline - block.size * 0.84,
          block.size,
          block.size,
        );
      }
      cursor += (rtl ? -1 : 1) * em;
    });
  });
  ctx.direction = "ltr";
  ctx.textAlign = "left";
}

export function blockHeight(block: TextBlock): number {
  return block.size * 0.78 + (block.lines.length - 1) * block.lineHeight + block.size * 0.22;
}
