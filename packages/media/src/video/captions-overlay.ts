import type { SKRSContext2D } from "@napi-rs/canvas";
import type { Cue } from "../audio/captions";
import { FONT } from "../image/fonts";
import { font } from "../image/text";

/**
 * The caption of the moment, drawn over the frame: the cue's words so far on a dark band in the lower third,
 * the word being spoken in the accent colour. Words arrive as they are spoken, so the captions move with the voice.
 */
export function drawCaption(
  ctx: SKRSContext2D,
  cues: Cue[],
  atMs: number,
  width: number,
  height: number,
): void {
  const cue = cues.find((c) => atMs >= c.startMs && atMs < c.endMs + 400);
  if (!cue) return;
  const size = Math.round(Math.min(width, height) * 0.052);
  ctx.font = font(700, size, FONT.sans);
  const spoken = cue.words.filter((w) => w.startMs <= atMs);
  if (spoken.length === 0) return;
  const full = cue.words.map((w) => w.word).join(" ");
  const maxWidth = width * 0.86;
  const lineWidth = Math.min(ctx.measureText(full).width, maxWidth);
  const padX = size * 0.6;
  const padY = size * 0.45;
  const bandHeight = size + padY * 2;
  const left = (width - lineWidth) / 2;
  const top = height * 0.82 - bandHeight / 2;
  ctx.fillStyle = "rgba(8, 10, 18, 0.62)";
  ctx.beginPath();
  ctx.roundRect(left - padX, top, lineWidth + padX * 2, bandHeight, size * 0.35);
  ctx.fill();
  ctx.textBaseline = "middle";
  let x = left;
  for (const [i, word] of spoken.entries()) {
    const text = i < spoken.length - 1 ? `${word.word} ` : word.word;
    ctx.fillStyle = i === spoken.length - 1 ? "#ffd166" : "#ffffff";
    ctx.fillText(text, x, top + bandHeight / 2, Math.max(1, left + lineWidth - x));
    x += ctx.measureText(text).width;
    if (x > left + lineWidth) break;
  }
}
