import type { Mood, SceneSpec } from "./prompt/scene-spec";
import type { Random } from "./random";

export interface Palette {
  name: string;
  /** Background gradient, from top left to bottom right. */
  background: readonly [string, string];
  accent: string;
  accent2: string;
  /** Text on the background. */
  ink: string;
  muted: string;
  /** Dark palettes get light haze and stars in artwork; light ones get shadows. */
  dark: boolean;
}

export const PALETTES: readonly Palette[] = [
  {
    name: "midnight",
    background: ["#0b1224", "#1e293b"],
    accent: "#38bdf8",
    accent2: "#a78bfa",
    ink: "#f8fafc",
    muted: "#94a3b8",
    dark: true,
  },
  {
    name: "sunset",
    background: ["#241046", "#7a2d5c"],
    accent: "#ff8a5b",
    accent2: "#ffd166",
    ink: "#fff7ed",
    muted: "#f5c6d6",
    dark: true,
  },
  {
    name: "forest",
    background: ["#062b20", "#14532d"],
    accent: "#a3e635",
    accent2: "#fde68a",
    ink: "#f0fdf4",
    muted: "#bbf7d0",
    dark: true,
  },
  {
    name: "paper",
    background: ["#fbf8f3", "#efe8dc"],
    accent: "#e4572e",
    accent2: "#2e86ab",
    ink: "#1c1917",
    muted: "#78716c",
    dark: false,
  },
  {
    name: "ocean",
    background: ["#03305f", "#0077b6"],
    accent: "#90e0ef",
    accent2: "#ffb703",
    ink: "#ffffff",
    muted: "#caf0f8",
    dark: true,
  },
  {
    name: "mint",
    background: ["#f0fdf7", "#cdf5e3"],
    accent: "#059669",
    accent2: "#f59e0b",
    ink: "#064e3b",
    muted: "#3f7d68",
    dark: false,
  },
  {
    name: "plum",
    background: ["#230b4f", "#5b1d87"],
    accent: "#f472b6",
    accent2: "#facc15",
    ink: "#faf5ff",
    muted: "#d8b4fe",
    dark: true,
  },
  {
    name: "graphite",
    background: ["#141417", "#2a2a30"],
    accent: "#f97316",
    accent2: "#eab308",
    ink: "#fafafa",
    muted: "#a1a1aa",
    dark: true,
  },
  {
    name: "blush",
    background: ["#fff4f1", "#fbd9d3"],
    accent: "#d1495b",
    accent2: "#3d5a80",
    ink: "#2b2024",
    muted: "#8a6a70",
    dark: false,
  },
];

// Words in a prompt that suggest a mood; the first match picks the palette, otherwise the seed does.
const MOODS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b(ocean|sea|beach|wave|water|blue|sky|marine|surf)/i, "ocean"],
  [/\b(forest|green|nature|plant|garden|leaf|eco|tree|moss|hiking)/i, "forest"],
  [/\b(sunset|sunrise|warm|orange|autumn|fall|desert|summer|golden)/i, "sunset"],
  [/\b(night|dark|space|galaxy|star|tech|ai|code|software|data|cyber|developer)/i, "midnight"],
  [/\b(purple|violet|music|party|neon|festival|dream)/i, "plum"],
  [/\b(minimal|paper|clean|white|editorial|writing|book|essay)/i, "paper"],
  [/\b(mint|fresh|health|wellness|spring|calm)/i, "mint"],
  [/\b(pink|rose|love|wedding|beauty|skincare|cosmetic)/i, "blush"],
  [/\b(black|steel|industrial|engine|car|finance|bold)/i, "graphite"],
];

const MOOD_PALETTES: Record<Mood, string> = {
  calm: "mint",
  energetic: "sunset",
  dramatic: "graphite",
  playful: "blush",
  elegant: "paper",
  dark: "midnight",
  warm: "sunset",
  fresh: "mint",
  tech: "midnight",
};

/**
 * The palette follows the prompt's mood, else its topic words, else the seed; a colour the prompt names becomes
 * the accent.
 */
export function choosePalette(prompt: string, random: Random, spec?: SceneSpec): Palette {
  const byMood = spec?.mood ? MOOD_PALETTES[spec.mood] : MOODS.find(([pattern]) => pattern.test(prompt))?.[1];
  const palette = byMood ? (PALETTES.find((p) => p.name === byMood) as Palette) : random.pick(PALETTES);
  const named = spec?.colors[0]?.hex;
  if (!named) return palette;
  // A named colour too close to the background would vanish; it then tints the background instead.
  const clash = Math.abs(luminance(named) - luminance(palette.background[0])) < 0.2;
  return clash
    ? {
        ...palette,
        background: [mix(palette.background[0], named, 0.35), mix(palette.background[1], named, 0.45)],
      }
    : { ...palette, accent: named };
}

// Colour words for product shots: "a red bottle" should be red.
const COLOR_WORDS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bred\b/i, "#c8102e"],
  [/\bblue\b/i, "#1d4ed8"],
  [/\bnavy\b/i, "#1e2a4a"],
  [/\bgreen\b/i, "#15803d"],
  [/\byellow\b/i, "#eab308"],
  [/\borange\b/i, "#ea580c"],
  [/\bpurple|violet\b/i, "#7e22ce"],
  [/\bpink\b/i, "#ec4899"],
  [/\bblack\b/i, "#1c1c1e"],
  [/\bwhite\b/i, "#f4f4f2"],
  [/\b(gold|golden|amber)\b/i, "#c9962b"],
  [/\b(silver|chrome|metal)\b/i, "#a8adb3"],
  [/\b(teal|turquoise)\b/i, "#0d9488"],
  [/\bbrown|wood|walnut\b/i, "#7c4a2d"],
];

export function colorFromPrompt(prompt: string): string | undefined {
  return COLOR_WORDS.find(([pattern]) => pattern.test(prompt))?.[1];
}

/** Mixes two #rrggbb colours; t = 0 gives a, 1 gives b. */
export function mix(a: string, b: string, t: number): string {
  const pa = parseHex(a);
  const pb = parseHex(b);
  return `#${pa
    .map((v, i) =>
      Math.round(v + ((pb[i] as number) - v) * t)
        .toString(16)
        .padStart(2, "0"),
    )
    .join("")}`;
}

export function withAlpha(color: string, alpha: number): string {
  const [r, g, b] = parseHex(color);
  return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

export function luminance(color: string): number {
  const [r, g, b] = parseHex(color);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

function parseHex(color: string): [number, number, number] {
  const n = Number.parseInt(color.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
