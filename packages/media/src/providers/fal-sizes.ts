/**
 * The image sizes fal's models accept. Each function takes the size a job asked for and returns the size to ask
 * fal for: the asked size when the model takes it, else the nearest size it takes with the same aspect ratio
 * (within rounding to whole pixels). The image fal returns is then scaled to the asked size by the caller.
 */

export interface ImageSize {
  width: number;
  height: number;
}

/** Seedream v4 text-to-image: total pixels between 960×960 and 4096×4096, sides at most 16:1 apart. */
export const SEEDREAM_V4_PIXELS = { min: 960 * 960, max: 4096 * 4096 };
export const SEEDREAM_V4_MAX_RATIO = 16;

/** FLUX.2 turbo: each side between 512 and 2048. */
export const FLUX_2_TURBO_SIDES = { min: 512, max: 2048 };

/** A ratio beyond 16:1 is asked at 16:1, and the scaling to the asked size crops the rest. */
export function seedreamV4Size(size: ImageSize): ImageSize {
  const asked = withinRatio(size, SEEDREAM_V4_MAX_RATIO);
  const pixels = asked.width * asked.height;
  const { min, max } = SEEDREAM_V4_PIXELS;
  if (pixels >= min && pixels <= max) return asked;
  const scale = Math.sqrt((pixels < min ? min : max) / pixels);
  // Up rounds up and down rounds down, so the rounded size stays within the bound it was scaled to.
  const round = pixels < min ? Math.ceil : Math.floor;
  return { width: round(asked.width * scale), height: round(asked.height * scale) };
}

/**
 * A ratio beyond 4:1 cannot fit FLUX.2 turbo's sides: then the size is the one it takes nearest that ratio
 * (2048×512 or 512×2048), and the scaling to the asked size crops the rest.
 */
export function flux2TurboSize(asked: ImageSize): ImageSize {
  const { min, max } = FLUX_2_TURBO_SIDES;
  const fits = (side: number) => side >= min && side <= max;
  if (fits(asked.width) && fits(asked.height)) return asked;
  const smallest = Math.max(min / asked.width, min / asked.height);
  const largest = Math.min(max / asked.width, max / asked.height);
  // The scale nearest 1 that fits both sides; when none does, the one that fits the longer side.
  const scale = smallest <= largest ? Math.min(Math.max(1, smallest), largest) : largest;
  const side = (value: number) => Math.min(max, Math.max(min, Math.round(value * scale)));
  return { width: side(asked.width), height: side(asked.height) };
}

/** The size with its longer side cut so the two are at most `maxRatio` apart. */
function withinRatio(size: ImageSize, maxRatio: number): ImageSize {
  if (size.width > size.height * maxRatio) return { width: size.height * maxRatio, height: size.height };
  if (size.height > size.width * maxRatio) return { width: size.width, height: size.width * maxRatio };
  return size;
}
