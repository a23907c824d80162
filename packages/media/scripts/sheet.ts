// pnpm --filter @mcpmediaengine/media sheet [filter]: draws the prompts below with local-studio (and local-motion's
// key image) into one contact sheet, to be looked at after changing a drawing. Writes .sheet/contact-sheet.png
// (gitignored) and .sheet/scenes.json, the parsed scene of each prompt.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ImagePresetId } from "@mcpmediaengine/contract";
import { createCanvas } from "@napi-rs/canvas";
import sharp from "sharp";
import { drawImage } from "../src/image/local-studio";
import { parseScene } from "../src/image/prompt/parse-scene";

type Case = [ImagePresetId | null, string];
export const SHEET: Case[] = [
  [null, "misty mountain lake at sunrise"],
  [null, "a quiet harbour at dawn"],
  [null, "city skyline at night"],
  [null, "desert dunes at sunset"],
  [null, "pine forest in the fog"],
  [null, "snowy mountains in winter, snow falling"],
  [null, "tropical beach at noon with clouds"],
  [null, "lavender fields at golden hour"],
  [null, "a river through green hills in spring morning"],
  [null, "stormy sea with lightning"],
  [null, "autumn forest by a lake at dusk"],
  [null, "pink sky over the ocean"],
  [null, "rainy city street at dusk"],
  [null, "arctic snowfield under a starry night"],
  ["product_shot", "red ceramic mug"],
  ["product_shot", "blue running shoes"],
  ["product_shot", 'perfume bottle "Nuit Blanche" on marble'],
  ["product_shot", "matte black headphones on concrete"],
  ["product_shot", "glass jar of honey by Beeline on a wooden table"],
  ["product_shot", "silver smartwatch"],
  ["product_shot", "leather tote bag in tan"],
  ["product_shot", "green plant pot, pastel background"],
  ["product_shot", "scented candle in a glass, warm"],
  ["product_shot", "laptop on a desk, minimal"],
  ["product_shot", "smartphone in purple"],
  ["product_shot", "hardcover book called Tides"],
  ["product_shot", "orange soda can, glossy"],
  ["product_shot", "moisturiser cosmetics jar in pink"],
  ["product_shot", "sunscreen tube, yellow"],
  ["product_shot", "craft beer bottle, brown glass"],
  ["blog_thumbnail", "summer strawberries"],
  ["blog_thumbnail", "How we cut our cloud bill in half with Postgres queues"],
  ["blog_thumbnail", "10 tips for better sleep"],
  ["blog_thumbnail", "如何在家里种植西红柿"],
  ["blog_thumbnail", "مرحبا بكم في مدونتنا عن القهوة"],
  ["social_post", "Weekend coffee ☕ and croissants 🥐"],
  ["social_post", "東京の春 桜が満開です"],
  ["social_post", "서울의 가을 여행 가이드"],
  ["social_post", "Новая коллекция весна 2026"],
  ["social_post", "שבת שלום מכל הצוות"],
];

const filter = process.argv[2];
const cases = SHEET.filter(([preset, prompt]) => !filter || `${preset} ${prompt}`.includes(filter));
const cell = { width: 480, height: 320 };
const label = 28;
const columns = 5;
const rows = Math.ceil(cases.length / columns);
const sheet = createCanvas(columns * cell.width, rows * (cell.height + label));
const ctx = sheet.getContext("2d");
ctx.fillStyle = "#ffffff";
ctx.fillRect(0, 0, sheet.width, sheet.height);
const size = (preset: ImagePresetId | null) =>
  preset === "blog_thumbnail"
    ? [1200, 630]
    : preset === "social_post" || preset === "product_shot"
      ? [1024, 1024]
      : [1280, 720];
const scenes: Record<string, unknown> = {};
for (const [i, [preset, prompt]] of cases.entries()) {
  const [width, height] = size(preset) as [number, number];
  const started = performance.now();
  const image = drawImage({ prompt, preset, width, height, seed: 7 });
  const ms = performance.now() - started;
  scenes[prompt] = parseScene(prompt);
  const x = (i % columns) * cell.width;
  const y = Math.floor(i / columns) * (cell.height + label);
  const scale = Math.min(cell.width / width, cell.height / height);
  ctx.drawImage(image, x + (cell.width - width * scale) / 2, y, width * scale, height * scale);
  ctx.fillStyle = "#111111";
  ctx.font = "13px sans-serif";
  ctx.fillText(`${i + 1}. ${prompt.slice(0, 48)} (${Math.round(ms)} ms)`, x + 6, y + cell.height + 18);
}
const dir = join(import.meta.dirname, "..", ".sheet");
mkdirSync(dir, { recursive: true });
const pixels = ctx.getImageData(0, 0, sheet.width, sheet.height).data;
await sharp(Buffer.from(pixels.buffer), { raw: { width: sheet.width, height: sheet.height, channels: 4 } })
  .png()
  .toFile(join(dir, "contact-sheet.png"));
writeFileSync(join(dir, "scenes.json"), `${JSON.stringify(scenes, null, 2)}\n`);
console.log(`wrote ${join(dir, "contact-sheet.png")}`);
