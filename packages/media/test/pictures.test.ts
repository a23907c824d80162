import type { ImagePresetId } from "@mcpmediaengine/contract";
import { createCanvas } from "@napi-rs/canvas";
import { describe, expect, it } from "vitest";
import { FALLBACKS, FONT, registerScriptFonts } from "../src/image/fonts";
import { drawImage } from "../src/image/local-studio";
import { parseScene } from "../src/image/prompt/parse-scene";
import { drawLines, fitText } from "../src/image/text";

// Measurable properties of the drawings: each asks whether the picture shows what the prompt said.

const W = 640;
const H = 400;
function pixels(prompt: string, preset: ImagePresetId | null = null, width = W, height = H) {
  const canvas = drawImage({ prompt, preset, width, height, seed: 11 });
  const { data } = canvas.getContext("2d").getImageData(0, 0, width, height);
  /** Mean [r, g, b] over a rectangle given in fractions of the canvas. */
  const mean = (x0: number, y0: number, x1: number, y1: number) => {
    const sum: [number, number, number] = [0, 0, 0];
    let n = 0;
    for (let y = Math.floor(y0 * height); y < Math.ceil(y1 * height); y++)
      for (let x = Math.floor(x0 * width); x < Math.ceil(x1 * width); x++) {
        const i = (y * width + x) * 4;
        sum[0] += data[i] as number;
        sum[1] += data[i + 1] as number;
        sum[2] += data[i + 2] as number;
        n++;
      }
    return sum.map((v) => v / n) as [number, number, number];
  };
  const row = (y: number) => {
    const out: number[] = [];
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      out.push(((data[i] as number) + (data[i + 1] as number) + (data[i + 2] as number)) / 3);
    }
    return out;
  };
  return { mean, row, data };
}
const lum = ([r, g, b]: number[]) => 0.2126 * (r as number) + 0.7152 * (g as number) + 0.0722 * (b as number);

describe("landscapes follow the prompt", () => {
  it("a night sky is darker than a noon one", () => {
    const night = pixels("mountains at night").mean(0, 0, 1, 0.25);
    const noon = pixels("mountains at noon").mean(0, 0, 1, 0.25);
    expect(lum(night)).toBeLessThan(lum(noon) * 0.4);
  });

  it("a sunrise's horizon is warmer than its zenith", () => {
    const { mean } = pixels("the sea at sunrise");
    const warmth = ([r, , b]: number[]) => (r as number) - (b as number);
    expect(warmth(mean(0, 0.44, 1, 0.5))).toBeGreaterThan(warmth(mean(0, 0, 1, 0.05)) + 60);
  });

  it("a lake mirrors what stands above it; hills without water do not", () => {
    // Mean difference between rows the same distance above and below the horizon.
    const mirror = (prompt: string, horizon: number) => {
      const { row } = pixels(prompt);
      let diff = 0;
      for (let k = 4; k < 40; k++) {
        const a = row(Math.round(horizon * H) - k);
        const b = row(Math.round(horizon * H) + k);
        diff += a.reduce((s, v, i) => s + Math.abs(v - (b[i] as number)), 0) / W;
      }
      return diff / 36;
    };
    expect(mirror("mountains by a lake at noon", 0.56)).toBeLessThan(mirror("mountains at noon", 0.6) * 0.6);
  });

  it("fog and mist lighten the land below the horizon", () => {
    const clear = lum(pixels("pine forest at noon").mean(0, 0.62, 1, 0.8));
    const foggy = lum(pixels("pine forest in the fog at noon").mean(0, 0.62, 1, 0.8));
    expect(foggy).toBeGreaterThan(clear + 20);
  });

  it("a colour named for the land leaves the sky its own", () => {
    const [r, g, b] = pixels("a river through green hills at noon").mean(0, 0, 1, 0.2);
    expect(b).toBeGreaterThan(Math.max(r, g) + 20);
    const [lr, lg, lb] = pixels("a river through green hills at noon").mean(0, 0.85, 0.2, 1);
    expect(lg).toBeGreaterThan(Math.max(lr, lb));
  });

  it("a named colour tints the sky", () => {
    const [r, , b] = pixels("pink sky over the ocean at noon").mean(0, 0.3, 1, 0.5);
    const [r0, , b0] = pixels("sky over the ocean at noon").mean(0, 0.3, 1, 0.5);
    expect(r - b).toBeGreaterThan(r0 - b0 + 30);
  });
});

describe("product shots follow the prompt", () => {
  // The product stands in the middle of the frame, above the podium.
  const centre = (prompt: string) => pixels(prompt, "product_shot", 512, 512).mean(0.4, 0.45, 0.6, 0.7);

  it("a named colour dominates the product", () => {
    const [r, g, b] = centre("red ceramic mug");
    expect(r).toBeGreaterThan(Math.max(g, b) + 40);
    const [r2, g2, b2] = centre("blue ceramic mug");
    expect(b2).toBeGreaterThan(Math.max(r2, g2) + 40);
    const [r3, g3, b3] = centre("green smartphone");
    expect(g3).toBeGreaterThan(Math.max(r3, b3) + 20);
  });

  it("draws each kind differently", () => {
    const kinds = [
      "mug",
      "shoe",
      "bag",
      "phone",
      "watch",
      "headphones",
      "laptop",
      "book",
      "candle",
      "plant pot",
    ];
    const shots = kinds.map((k) =>
      Buffer.from(pixels(`red ${k}`, "product_shot", 256, 256).data).toString("base64"),
    );
    expect(new Set(shots).size).toBe(kinds.length);
  });
});

describe("text in every script", () => {
  const SAMPLES: [string, string][] = [
    ["chinese", "如何种植西红柿"],
    ["japanese", "東京の春さくら"],
    ["korean", "서울의가을여행"],
    ["arabic", "مرحبابكم"],
    ["hebrew", "שבתשלום"],
    ["cyrillic", "Новаяколлекция"],
  ];

  it.each(SAMPLES)("sets %s with no missing glyph", (_script, text) => {
    registerScriptFonts(parseScene(text).scripts, text);
    const glyph = (char: string, family: string) => {
      const canvas = createCanvas(64, 64);
      const ctx = canvas.getContext("2d");
      ctx.fillStyle = "#000";
      ctx.font = `700 40px ${family}`;
      ctx.fillText(char, 8, 48);
      return Buffer.from(ctx.getImageData(0, 0, 64, 64).data);
    };
    const ours = `"${FONT.sans}", ${FALLBACKS}`;
    // A code point no font has: how a missing glyph looks here (a box, or nothing).
    const missing = glyph("\u{10FFFD}", ours);
    for (const char of text) {
      const drawn = glyph(char, ours);
      expect(
        drawn.some((v) => v > 0),
        char,
      ).toBe(true);
      expect(drawn.equals(missing), char).toBe(false);
    }
  });

  it("draws emoji as pictures in colour, not boxes", () => {
    const canvas = createCanvas(400, 120);
    const ctx = canvas.getContext("2d");
    const block = fitText(ctx, "summer 🍓", {
      family: FONT.sans,
      weight: 800,
      maxWidth: 380,
      maxHeight: 100,
      maxSize: 60,
      minSize: 20,
      lineHeight: 1.1,
      maxLines: 1,
    });
    expect(block.icons).toEqual(["strawberry"]);
    ctx.fillStyle = "#000000";
    drawLines(ctx, block, 10, 10);
    const { data } = ctx.getImageData(0, 0, 400, 120);
    let coloured = 0;
    for (let i = 0; i < data.length; i += 4)
      if (
        (data[i + 3] as number) > 200 &&
        Math.max(data[i]!, data[i + 1]!, data[i + 2]!) - Math.min(data[i]!, data[i + 1]!, data[i + 2]!) > 60
      )
        coloured++;
    expect(coloured).toBeGreaterThan(200);
  });

  it("sets a right-to-left title from the right", () => {
    const { mean } = pixels("مرحبا بكم في مدونتنا عن القهوة", "blog_thumbnail", 600, 315);
    const { mean: ltr } = pixels("Welcome to our coffee blog today", "blog_thumbnail", 600, 315);
    // The illustration moves to the left and the title to the right: the left third changes places.
    const ink = (m: number[]) => lum(m);
    expect(Math.abs(ink(mean(0.05, 0.3, 0.35, 0.7)) - ink(ltr(0.05, 0.3, 0.35, 0.7)))).toBeGreaterThan(5);
  });
});
