import type { Random } from "../image/random";

/** How much larger than the frame the key image is drawn, so the camera has room to move. */
export const OVERSCAN = 1.25;

export interface CropWindow {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * A slow pan and zoom over the key image (the "Ken Burns" move): the crop window glides between two framings,
 * eased at both ends. The seed chooses the direction and whether it zooms in or out.
 */
export function createCamera(frameWidth: number, frameHeight: number, random: Random) {
  const imageWidth = Math.round(frameWidth * OVERSCAN);
  const imageHeight = Math.round(frameHeight * OVERSCAN);
  const wide = OVERSCAN * 0.98;
  const tight = 1.02;
  const zoomIn = random.chance(0.5);
  const [fromScale, toScale] = zoomIn ? [wide, tight] : [tight, wide];
  const from = { x: random.next(), y: random.next() };
  const to = { x: 1 - from.x, y: random.range(0.2, 0.8) };
  return {
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
