/**
 * What a prompt asks for, read before anything is drawn: plain JSON, so it can be logged and tested. Every field
 * is what the prompt says; nothing here is chosen by the seed (the drawings pick what the prompt leaves open).
 */
export interface SceneSpec {
  /** Nouns of the prompt that have a picture, as icon names of the bundled emoji set (Fluent Emoji Flat). */
  subjects: string[];
  /** Landscape elements, in the order the prompt names them. */
  settings: Setting[];
  timeOfDay: TimeOfDay | null;
  weather: Weather[];
  season: Season | null;
  /** Colours named in the prompt, first named first. */
  colors: NamedColor[];
  materials: Material[];
  mood: Mood | null;
  /** The product a product shot shows, when the prompt names one. */
  product: ProductKind | null;
  /** What a product stands on, when named. */
  surface: Surface | null;
  /** Text to set on a product's label: quoted text, else a brand-like word; null when the prompt gives neither. */
  label: string | null;
  /** Writing systems the prompt uses beyond basic Latin; each needs its fonts. */
  scripts: Script[];
  /** Right to left when the prompt's first strong letter is Arabic or Hebrew. */
  direction: "ltr" | "rtl";
}

export const SETTINGS = [
  "mountains",
  "hills",
  "lake",
  "river",
  "sea",
  "harbour",
  "beach",
  "forest",
  "desert",
  "city",
  "fields",
  "snowfield",
] as const;
export type Setting = (typeof SETTINGS)[number];

export const TIMES_OF_DAY = [
  "dawn",
  "sunrise",
  "morning",
  "noon",
  "golden_hour",
  "sunset",
  "dusk",
  "night",
] as const;
export type TimeOfDay = (typeof TIMES_OF_DAY)[number];

export type Weather = "mist" | "fog" | "rain" | "snow" | "clouds" | "storm" | "clear";
export type Season = "spring" | "summer" | "autumn" | "winter";
export type Material = "matte" | "glossy" | "metal" | "glass" | "ceramic" | "wood" | "fabric" | "leather";
export type Mood =
  | "calm"
  | "energetic"
  | "dramatic"
  | "playful"
  | "elegant"
  | "dark"
  | "warm"
  | "fresh"
  | "tech";
export type Surface = "marble" | "concrete" | "wood" | "pastel" | "linen" | "stone";
export type Script = "cyrillic" | "chinese" | "japanese" | "korean" | "arabic" | "hebrew" | "emoji";

export const PRODUCT_KINDS = [
  "bottle",
  "jar",
  "box",
  "can",
  "tube",
  "mug",
  "shoe",
  "bag",
  "phone",
  "watch",
  "headphones",
  "laptop",
  "book",
  "candle",
  "plant_pot",
  "perfume",
  "cosmetics_jar",
] as const;
export type ProductKind = (typeof PRODUCT_KINDS)[number];

export interface NamedColor {
  name: string;
  /** #rrggbb */
  hex: string;
}
