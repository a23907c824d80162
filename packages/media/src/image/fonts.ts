import { readFileSync } from "node:fs";
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

/** Fonts for other scripts, by the writing system the prompt uses: Noto families (OFL), registered on demand. */
export const SCRIPT_FONTS = {
  chinese: "MME Noto SC",
  japanese: "MME Noto JP",
  korean: "MME Noto KR",
  arabic: "MME Noto Arabic",
  hebrew: "MME Noto Hebrew",
} as const;

/** Every family a title is set in after its own: the scripts' fonts catch the glyphs the Latin faces lack. */
export const FALLBACKS = [FONT.sans, ...Object.values(SCRIPT_FONTS)].map((f) => `"${f}"`).join(", ");

const CJK_PACKAGES = { chinese: "noto-sans-sc", japanese: "noto-sans-jp", korean: "noto-sans-kr" } as const;
const loaded = new Set<string>();

/**
 * Registers the fonts a text needs beyond Latin: Cyrillic faces of Inter and Playfair, the Arabic and Hebrew
 * Noto faces, and of the CJK faces only the subsets (fontsource splits each into about a hundred files by
 * unicode-range) that hold one of the text's characters. A text in Latin loads nothing more.
 */
export function registerScriptFonts(scripts: readonly string[], text: string): void {
  registerFonts();
  const require = createRequire(import.meta.url);
  const add = (path: string, family: string) => {
    const key = `${family}:${path}`;
    if (loaded.has(key)) return;
    if (!GlobalFonts.registerFromPath(path, family)) throw new Error(`cannot load font ${path}`);
    loaded.add(key);
  };
  for (const script of scripts) {
    if (script === "cyrillic") {
      for (const weight of [400, 600, 800])
        add(require.resolve(`@fontsource/inter/files/inter-cyrillic-${weight}-normal.woff2`), FONT.sans);
      add(
        require.resolve("@fontsource/playfair-display/files/playfair-display-cyrillic-700-normal.woff2"),
        FONT.serif,
      );
    } else if (script === "arabic" || script === "hebrew") {
      add(
        require.resolve(
          `@fontsource/noto-sans-${script}/files/noto-sans-${script}-${script}-700-normal.woff2`,
        ),
        SCRIPT_FONTS[script],
      );
    } else if (script === "chinese" || script === "japanese" || script === "korean") {
      const pkg = CJK_PACKAGES[script];
      const css = readFileSync(require.resolve(`@fontsource/${pkg}/700.css`), "utf8");
      const codes = [...new Set([...text].map((c) => c.codePointAt(0) as number))];
      // Each @font-face block names one file and the ranges of code points it holds.
      for (const block of css.split("@font-face").slice(1)) {
        const file = /url\(\.\/files\/([^)]+\.woff2)\)/.exec(block)?.[1];
        const ranges = /unicode-range:\s*([^;]+);/.exec(block)?.[1];
        if (!file || !ranges) continue;
        const spans = ranges.split(",").map((r) => {
          const [a, b] = r.trim().replace(/^U\+/i, "").split("-");
          return [Number.parseInt(a as string, 16), Number.parseInt((b ?? a) as string, 16)] as const;
        });
        if (codes.some((c) => c > 0x2e7f && spans.some(([a, b]) => c >= a && c <= b)))
          add(require.resolve(`@fontsource/${pkg}/files/${file}`), SCRIPT_FONTS[script]);
      }
    }
  }
}
