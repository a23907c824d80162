import { emojiIcon, hasIcon } from "./icons";
import type { NamedColor, SceneSpec, Script, Setting } from "./scene-spec";
import {
  COLOR_WORDS,
  FOREIGN_SUBJECTS,
  MATERIAL_WORDS,
  MOOD_WORDS,
  NOT_BRANDS,
  NOT_SUBJECTS,
  PRODUCT_NOUNS,
  PRODUCT_WORDS,
  SEASON_WORDS,
  SETTING_WORDS,
  SUBJECT_WORDS,
  SURFACE_WORDS,
  TIME_WORDS,
  WEATHER_WORDS,
} from "./vocabulary";

const EMOJI = /\p{Extended_Pictographic}(\uFE0F|\u200D\p{Extended_Pictographic}\uFE0F?)*/gu;

/** Reads a prompt into the scene it describes. Pure: the same prompt always gives the same scene. */
export function parseScene(prompt: string): SceneSpec {
  // Only the first 2,000 characters are read: a scene never needs more, and it bounds the regex work.
  const text = prompt.slice(0, 2000);
  const lower = ` ${text.toLowerCase().replace(/[^\p{L}\p{N}'\-\s]+/gu, " ")} `;
  const first = <T>(table: ReadonlyArray<readonly [RegExp, T]>) =>
    table.find(([re]) => re.test(lower))?.[1] ?? null;
  const all = <T>(table: ReadonlyArray<readonly [RegExp, T]>) => inOrder(lower, table);
  const product = productOf(lower);
  return {
    subjects: subjects(text, lower),
    settings: settingsOf(lower),
    timeOfDay: first(TIME_WORDS),
    weather: all(WEATHER_WORDS),
    season: first(SEASON_WORDS),
    colors: colorsOf(lower),
    materials: all(MATERIAL_WORDS),
    mood: first(MOOD_WORDS),
    product,
    surface: first(SURFACE_WORDS),
    label: labelOf(text),
    scripts: scriptsOf(text),
    direction: directionOf(text),
  };
}

/** Every value of the table the text names, ordered by where it is first named. */
function inOrder<T>(lower: string, table: ReadonlyArray<readonly [RegExp, T]>): T[] {
  const found: { at: number; value: T }[] = [];
  for (const [re, value] of table) {
    const at = lower.search(re);
    if (at >= 0 && !found.some((f) => f.value === value)) found.push({ at, value });
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.value);
}

function settingsOf(lower: string): Setting[] {
  return inOrder(lower, SETTING_WORDS);
}

/**
 * Perfume and cosmetics jars are named by what they hold; otherwise a container's own name wins over its
 * contents ("beer bottle" is a bottle, "shoe box" a box: the last of adjacent names is the head noun).
 */
function productOf(lower: string) {
  const special = PRODUCT_WORDS.slice(0, 2).find(([re]) => re.test(lower))?.[1];
  if (special) return special;
  const nouns: { at: number; end: number; kind: (typeof PRODUCT_NOUNS)[number][1] }[] = [];
  for (const [re, kind] of PRODUCT_NOUNS) {
    const m = re.exec(lower);
    if (m) nouns.push({ at: m.index, end: m.index + m[0].length, kind });
  }
  nouns.sort((a, b) => a.at - b.at);
  let pick = nouns[0];
  for (const next of nouns.slice(1)) if (pick && next.at <= pick.end + 2) pick = next;
  return pick?.kind ?? PRODUCT_WORDS.find(([re]) => re.test(lower))?.[1] ?? null;
}

function colorsOf(lower: string): NamedColor[] {
  const found: { at: number; color: NamedColor }[] = [];
  for (const [re, name, hex] of COLOR_WORDS) {
    const at = lower.search(re);
    if (at >= 0) found.push({ at, color: { name, hex } });
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.color);
}

function singular(word: string): string[] {
  if (word.endsWith("ies")) return [word, `${word.slice(0, -3)}y`];
  if (word.endsWith("es")) return [word, word.slice(0, -2), word.slice(0, -1)];
  if (word.endsWith("s")) return [word, word.slice(0, -1)];
  return [word];
}

function subjects(text: string, lower: string): string[] {
  const found: { at: number; icon: string }[] = [];
  for (const [re, icon] of SUBJECT_WORDS) {
    const at = lower.search(re);
    // Named pictures ("strawberries") go before the ones a theme suggests ("summer": a sun).
    if (at >= 0) found.push({ at: at + 10_000, icon });
  }
  for (const [re, icon] of FOREIGN_SUBJECTS) {
    const at = text.search(re);
    if (at >= 0) found.push({ at, icon });
  }
  const words = [...lower.matchAll(/[a-z][a-z-]{2,}/g)];
  for (const match of words) {
    if (NOT_SUBJECTS.has(match[0])) continue;
    const icon = singular(match[0]).find(hasIcon);
    if (icon) found.push({ at: match.index, icon });
  }
  for (const match of text.matchAll(EMOJI)) {
    const icon = emojiIcon(match[0]);
    // Emoji come first: someone who typed one chose that picture.
    if (icon) found.push({ at: -1, icon });
  }
  const ordered = found.sort((a, b) => a.at - b.at).map((f) => f.icon);
  return [...new Set(ordered)].slice(0, 4);
}

/** Quoted text first; else a brand-like word (capitalised mid-sentence, all capitals, or after "called"). */
function labelOf(text: string): string | null {
  const quoted = /["“«„'‘]([^"”»“'’]{1,40})["”»“'’]/u.exec(text);
  if (quoted?.[1]?.trim()) return quoted[1].trim();
  const named = /\b(?:called|named|brand(?:ed)?|label(?:l)?ed|by)\s+([\p{L}\p{N}][\p{L}\p{N}&-]*)/iu.exec(
    text,
  );
  if (named?.[1] && !NOT_BRANDS.has(named[1].toLowerCase())) return named[1];
  const words = [...text.matchAll(/[\p{L}\p{N}][\p{L}\p{N}&'-]*/gu)];
  for (const [i, match] of words.entries()) {
    const word = match[0];
    if (NOT_BRANDS.has(word.toLowerCase()) || word.length < 2) continue;
    const allCaps = /^\p{Lu}[\p{Lu}\p{N}&-]+$/u.test(word);
    // A capital at the start of the prompt or of a sentence is grammar, not a brand.
    const sentenceStart = i === 0 || /[.!?]\s*$/.test(text.slice(0, match.index));
    if (allCaps || (/^\p{Lu}/u.test(word) && !sentenceStart)) {
      const next = words[i + 1]?.[0];
      const pair = next && /^\p{Lu}/u.test(next) && !NOT_BRANDS.has(next.toLowerCase());
      return pair ? `${word} ${next}` : word;
    }
  }
  return null;
}

function scriptsOf(text: string): Script[] {
  const scripts: Script[] = [];
  const han = /\p{Script=Han}/u.test(text);
  const kana = /[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(text);
  if (/\p{Script=Cyrillic}/u.test(text)) scripts.push("cyrillic");
  if (kana) scripts.push("japanese");
  else if (han) scripts.push("chinese");
  if (/\p{Script=Hangul}/u.test(text)) scripts.push("korean");
  if (/\p{Script=Arabic}/u.test(text)) scripts.push("arabic");
  if (/\p{Script=Hebrew}/u.test(text)) scripts.push("hebrew");
  if (/\p{Extended_Pictographic}/u.test(text)) scripts.push("emoji");
  return scripts;
}

function directionOf(text: string): "ltr" | "rtl" {
  const strong = /\p{L}/u.exec(text);
  return strong && /[\p{Script=Arabic}\p{Script=Hebrew}]/u.test(strong[0]) ? "rtl" : "ltr";
}
