import type { Focus } from "../image/local-studio";
import type { SceneSpec } from "../image/prompt/scene-spec";
import type { Random } from "../image/random";

/** How much larger than the frame the key image is drawn, so the camera has room to move. */
export const OVERSCAN = 1.25;

export interface CropWindow {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type CameraMove = "pan" | "push" | "rise" | "drift";

/** The move that suits the scene: a pan across a skyline or a shore, a push towards a low sun, a rise up a mountain. */
export function cameraMove(spec: SceneSpec | undefined, random: Random): CameraMove {
  if (!spec) return "drift";
  const lowSun = ["dawn", "sunrise", "golden_hour", "sunset"].includes(spec.timeOfDay ?? "");
  if (lowSun) return "push";
  if (
    spec.settings.some(
      (s) => s === "city" || s === "harbour" || s === "beach" || s === "sea" || s === "fields",
    )
  )
    return "pan";
  if (spec.settings.includes("mountains")) return "rise";
  return random.chance(0.5) ? "drift" : "pan";
}

/**
 * A slow pan and zoom over the key image (the "Ken Burns" move): the crop window glides between two framings,
 * eased at both ends. The scene chooses the move (cameraMove); the seed its direction.
 */
export function createCamera(
  frameWidth: number,
  frameHeight: number,
  random: Random,
  spec?: SceneSpec,
  focus: Focus = { x: 0.5, y: 0.5 },
) {
  const imageWidth = Math.round(frameWidth * OVERSCAN);
  const imageHeight = Math.round(frameHeight * OVERSCAN);
  const wide = OVERSCAN * 0.98;
  const tight = 1.02;
  const move = cameraMove(spec, random);
  const zoomIn = move === "push" || (move === "drift" && random.chance(0.5));
  let [fromScale, toScale] = zoomIn ? [wide, tight] : [tight, wide];
  let from = { x: random.next(), y: random.next() };
  let to = { x: 1 - from.x, y: random.range(0.2, 0.8) };
  // Where a crop of `scale` must sit (0 to 1 of the free room) to centre the focus, clamped to the image.
  const centre = (f: number, size: number, frame: number, scale: number) => {
    const room = size - frame * scale;
    return room <= 0 ? 0.5 : Math.min(1, Math.max(0, (f * size - (frame * scale) / 2) / room));
  };
  if (move === "push") {
    // A slow push towards the sun, ending framed on it.
    from = { x: 0.5, y: 0.5 };
    to = {
      x: centre(focus.x, imageWidth, frameWidth, tight),
      y: centre(focus.y, imageHeight, frameHeight, tight),
    };
  } else if (move === "pan") {
    // Across the whole width at one height and nearly one scale, the way one looks along a skyline.
    [fromScale, toScale] = [tight, tight * 1.03];
    const leftToRight = random.chance(0.5);
    from = { x: leftToRight ? 0 : 1, y: 0.55 };
    to = { x: leftToRight ? 1 : 0, y: 0.55 };
  } else if (move === "rise") {
    [fromScale, toScale] = [tight * 1.05, tight];
    from = { x: 0.5, y: 1 };
    to = { x: random.range(0.3, 0.7), y: 0.1 };
  }
  return {
    move,
    imageWidth,
    imageHeight,
    /** The part of the key image the frame shows at `t` (0 to 1 through the clip). */
    at(t: number): CropWindow {
      const e = t * t * (3 - 2 * t);
      const scale = fromScale + (toScale - fromScale) * e;
      const width = frameWidth * scale;
      const height = frameHeight * scale;
      const px = from.x + (to.x - from.x) * e;
      const py = from.y + (to.y - from.y) * e;
      return { x: (imageWidth - width) * px, y: (imageHeight - height) * py, width, height };
    },
  };
}
