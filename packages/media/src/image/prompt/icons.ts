import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/**
 * The bundled picture set: Fluent Emoji Flat (Microsoft, MIT licence) from @iconify-json/fluent-emoji-flat. MIT
 * asks for its notice in copies of the software, not in what is drawn with it, so customers can publish our
 * images without crediting anyone. Loaded once, on first use (9 MB of JSON, about 30 ms).
 */
interface IconSet {
  icons: Record<string, { body: string; width?: number; height?: number }>;
  aliases?: Record<string, { parent: string }>;
  width?: number;
  height?: number;
}

let set: IconSet | undefined;
let chars: Record<string, string> | undefined;

function iconSet(): IconSet {
  if (!set) {
    const require = createRequire(import.meta.url);
    set = JSON.parse(readFileSync(require.resolve("@iconify-json/fluent-emoji-flat/icons.json"), "utf8"));
  }
  return set as IconSet;
}

export function hasIcon(name: string): boolean {
  const { icons, aliases } = iconSet();
  return name in icons || Boolean(aliases && name in aliases);
}

/** The icon as a standalone SVG document, drawn at `size` pixels; undefined when the set has no such icon. */
export function iconSvg(name: string, size: number): Buffer | undefined {
  const s = iconSet();
  const icon = s.icons[name] ?? (s.aliases?.[name] && s.icons[s.aliases[name].parent]);
  if (!icon) return undefined;
  const w = icon.width ?? s.width ?? 32;
  const h = icon.height ?? s.height ?? 32;
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${w} ${h}">${icon.body}</svg>`,
  );
}

/** The icon that draws an emoji (one grapheme, variation selectors ignored), if the set has it. */
export function emojiIcon(emoji: string): string | undefined {
  if (!chars) {
    const require = createRequire(import.meta.url);
    chars = JSON.parse(
      readFileSync(require.resolve("@iconify-json/fluent-emoji-flat/chars.json"), "utf8"),
    ) as Record<string, string>;
  }
  const code = (s: string) => [...s].map((c) => c.codePointAt(0)!.toString(16)).join("-");
  return chars[code(emoji)] ?? chars[code(emoji.replace(/\uFE0F/g, ""))];
}
