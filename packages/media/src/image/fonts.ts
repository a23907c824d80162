import { createRequire } from "node:module";
import { GlobalFonts } from "@napi-rs/canvas";

export const FONT = {
  sans: "MME Inter",
  serif: "MME Playfair Display",
  grotesk: "MME Space Grotesk",
} as const;
export type FontFamily = (typeof FONT)[keyof typeof FONT];

const FILES: ReadonlyArray<readonly [string, string, readonly number[]]> = [
  [FONT.sans, "@fontsource/inter/files/inter", [400, 600, 800]],
  [FONT.serif, "@fontsource/playfair-display/files/playfair-display", [700]],
  [FONT.grotesk, "@fontsource/space-grotesk/files/space-grotesk", [500, 700]],
];

let registered = false;

/**
 * Registers the bundled fonts with Skia once per process, under names no system font has, so a drawing never
 * depends on what fonts the machine happens to have. Latin and Latin Extended only; other scripts fall back to
 * the system's fonts.
 */
export function registerFonts(): void {
  if (registered) return;
  const require = createRequire(import.meta.url);
  for (const [family, prefix, weights] of FILES) {
    for (const weight of weights) {
      for (const subset of ["latin", "latin-ext"]) {
        const path = require.resolve(`${prefix}-${subset}-${weight}-normal.woff2`);
        if (!GlobalFonts.registerFromPath(path, family)) throw new Error(`cannot load font ${path}`);
      }
    }
  }
  registered = true;
}
