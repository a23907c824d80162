import { describe, expect, it } from "vitest";
import { parseScene } from "../src/image/prompt/parse-scene";
import { createRandom } from "../src/image/random";
import { cameraMove, createCamera } from "../src/video/camera";

describe("local-motion's camera suits the scene", () => {
  it.each([
    ["city skyline at night", "pan"],
    ["a quiet harbour at noon", "pan"],
    ["misty mountain lake at sunrise", "push"],
    ["desert at sunset", "push"],
    ["alpine mountains at noon", "rise"],
  ])("%s: %s", (prompt, move) => {
    expect(cameraMove(parseScene(prompt), createRandom(1, prompt))).toBe(move);
  });

  it("a push ends framed on the focus, a pan crosses the whole width", () => {
    // Within reach: a crop 1.02 frames wide over a 1.25-frame image can centre 41 % to 59 % of it.
    const focus = { x: 0.57, y: 0.44 };
    const push = createCamera(1280, 720, createRandom(3, "p"), parseScene("lake at sunrise"), focus);
    const end = push.at(1);
    expect((end.x + end.width / 2) / push.imageWidth).toBeCloseTo(focus.x, 1);
    expect((end.y + end.height / 2) / push.imageHeight).toBeCloseTo(focus.y, 1);
    expect(end.width).toBeLessThan(push.at(0).width);

    const pan = createCamera(1280, 720, createRandom(3, "c"), parseScene("city skyline"));
    const xs = [pan.at(0).x, pan.at(1).x].sort((a, b) => a - b);
    expect(xs[0]).toBe(0);
    expect((xs[1] as number) + pan.at(1).width).toBeCloseTo(pan.imageWidth, 0);
  });
});
