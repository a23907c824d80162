import { type Canvas, createCanvas } from "@napi-rs/canvas";
import { decodeImage, type InputImage } from "../inputs/input-image";
import { canvasOf, drawCover } from "./pixels";

/**
 * A given still as local-motion's key image: covering the camera's overscanned frame (cropped to the clip's
 * shape, centred), so the camera moves over the customer's picture as over a drawn one.
 */
export async function stillAsKey(still: InputImage, width: number, height: number): Promise<Canvas> {
  const decoded = await decodeImage(still, Math.max(width, height) * 2);
  const key = createCanvas(width, height);
  drawCover(key.getContext("2d"), canvasOf(decoded.rgba, decoded.width, decoded.height), {
    x: 0,
    y: 0,
    width,
    height,
  });
  return key;
}
