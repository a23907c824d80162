import type { ImageJobInput } from "@mcpmediaengine/contract";
import sharp from "sharp";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { hostedModels } from "../../src/hosted/models";
import {
  FLUX_2_TURBO_SIDES,
  flux2TurboSize,
  type ImageSize,
  SEEDREAM_V4_PIXELS,
  seedreamV4Size,
} from "../../src/providers/fal-sizes";
import { bytes, type FakeServer, json, type Reply, startFakeServer } from "./fake-server";
import { ctx, HAPPY_TIMEOUT_MS, solidPng } from "./fixtures";

// Sizes a job may ask for (the contract allows 64 to 2048 a side): presets, small, tall, wide, extreme.
const ASKED: ImageSize[] = [
  { width: 1200, height: 630 },
  { width: 1080, height: 1080 },
  { width: 1024, height: 1024 },
  { width: 64, height: 64 },
  { width: 64, height: 96 },
  { width: 300, height: 200 },
  { width: 959, height: 960 },
  { width: 2048, height: 2048 },
  { width: 2048, height: 600 },
  { width: 700, height: 2048 },
  { width: 64, height: 2048 },
  { width: 2048, height: 64 },
  { width: 65, height: 127 },
];

/** The ratio is kept when each side is what the other side times the ratio, give or take a pixel's rounding. */
function expectSameRatio(asked: ImageSize, sent: ImageSize) {
  const ratio = asked.width / asked.height;
  expect(Math.abs(sent.width - sent.height * ratio)).toBeLessThanOrEqual(Math.max(1, ratio));
  expect(Math.abs(sent.height - sent.width / ratio)).toBeLessThanOrEqual(Math.max(1, 1 / ratio));
}

const seedreamFits = ({ width, height }: ImageSize) =>
  width * height >= SEEDREAM_V4_PIXELS.min && width * height <= SEEDREAM_V4_PIXELS.max;
const fluxFits = ({ width, height }: ImageSize) =>
  [width, height].every((side) => side >= FLUX_2_TURBO_SIDES.min && side <= FLUX_2_TURBO_SIDES.max);

describe("seedreamV4Size", () => {
  test.each(ASKED)(
    "$width×$height: whole pixels, total within 960² to 4096², same ratio up to 16:1",
    (asked) => {
      const sent = seedreamV4Size(asked);
      expect(Number.isInteger(sent.width) && Number.isInteger(sent.height)).toBe(true);
      expect(seedreamFits(sent)).toBe(true);
      const ratio = Math.min(16, Math.max(1 / 16, asked.width / asked.height));
      expectSameRatio({ width: ratio * asked.height, height: asked.height }, sent);
    },
  );

  test("beyond 16:1 the size is asked at 16:1 (the rest is cropped)", () => {
    expect(seedreamV4Size({ width: 2048, height: 64 })).toEqual({ width: 3840, height: 240 });
    expect(seedreamV4Size({ width: 64, height: 2048 })).toEqual({ width: 240, height: 3840 });
  });

  test("the smallest valid scale: blog_thumbnail goes up just past 960×960 pixels", () => {
    expect(seedreamV4Size({ width: 1200, height: 630 })).toEqual({ width: 1325, height: 696 });
    expect(seedreamV4Size({ width: 64, height: 64 })).toEqual({ width: 960, height: 960 });
  });

  test("a size over 4096×4096 pixels comes down within it", () => {
    const sent = seedreamV4Size({ width: 8000, height: 4000 });
    expect(seedreamFits(sent)).toBe(true);
    expect(sent.width * sent.height).toBeGreaterThan(0.99 * SEEDREAM_V4_PIXELS.max);
    expectSameRatio({ width: 8000, height: 4000 }, sent);
  });

  test("sizes already valid are left alone", () => {
    for (const asked of [
      { width: 960, height: 960 },
      { width: 1080, height: 1080 },
      { width: 4096, height: 4096 },
      { width: 2048, height: 600 },
    ]) {
      expect(seedreamV4Size(asked)).toEqual(asked);
    }
  });
});

describe("flux2TurboSize", () => {
  test.each(ASKED)("$width×$height: whole pixels, each side within 512 to 2048", (asked) => {
    const sent = flux2TurboSize(asked);
    expect(Number.isInteger(sent.width) && Number.isInteger(sent.height)).toBe(true);
    expect(fluxFits(sent)).toBe(true);
  });

  test.each(ASKED.filter((s) => Math.max(s.width / s.height, s.height / s.width) <= 4))(
    "$width×$height: a ratio up to 4:1 is kept",
    (asked) => expectSameRatio(asked, flux2TurboSize(asked)),
  );

  test("the smallest valid scale up, or the largest down", () => {
    expect(flux2TurboSize({ width: 64, height: 64 })).toEqual({ width: 512, height: 512 });
    expect(flux2TurboSize({ width: 300, height: 200 })).toEqual({ width: 768, height: 512 });
    expect(flux2TurboSize({ width: 4096, height: 2048 })).toEqual({ width: 2048, height: 1024 });
  });

  test("a ratio beyond 4:1 gets the nearest one the model takes", () => {
    expect(flux2TurboSize({ width: 64, height: 2048 })).toEqual({ width: 512, height: 2048 });
    expect(flux2TurboSize({ width: 2048, height: 64 })).toEqual({ width: 2048, height: 512 });
    expect(flux2TurboSize({ width: 64, height: 4096 })).toEqual({ width: 512, height: 2048 });
  });

  test("sizes already valid are left alone", () => {
    for (const asked of [
      { width: 1200, height: 630 },
      { width: 512, height: 2048 },
      { width: 1080, height: 1080 },
    ]) {
      expect(flux2TurboSize(asked)).toEqual(asked);
    }
  });
});

describe("fal image models ask fal for a size it takes and return the asked size", () => {
  let fake: FakeServer;

  const MODELS = [
    { model: "flux-2-turbo", endpoint: "fal-ai/flux-2/turbo", fits: fluxFits },
    { model: "seedance", endpoint: "fal-ai/bytedance/seedream/v4/text-to-image", fits: seedreamFits },
  ] as const;

  beforeEach(async () => {
    fake = await startFakeServer({ provider: "fal" });
  });
  afterEach(async () => {
    await fake.close();
  });

  /** fal's queue for one endpoint: like fal, it accepts any size and answers 422 on the result when out of bounds. */
  function serveFal(endpoint: string, fits: (size: ImageSize) => boolean) {
    const app = endpoint.split("/").slice(0, 2).join("/");
    const own = `/${app}/requests/req-1`;
    let asked: ImageSize = { width: 0, height: 0 };
    fake.route("POST", `/${endpoint}`, (request, server): Reply => {
      asked = (request.json() as { image_size: ImageSize }).image_size;
      return json(200, { request_id: "req-1", status_url: `${server.url}${own}/status` });
    });
    fake.route("GET", `${own}/status`, json(200, { status: "COMPLETED", request_id: "req-1" }));
    fake.route("GET", own, (_, server) =>
      fits(asked)
        ? json(200, { images: [{ url: `${server.url}/files/out.png` }], has_nsfw_concepts: [false] })
        : json(422, { detail: [{ loc: ["body", "image_size"], msg: "Image size out of range", type: "x" }] }),
    );
    fake.route("GET", "/files/out.png", async () =>
      bytes(await solidPng(asked.width, asked.height), "image/png"),
    );
  }

  for (const { model, endpoint, fits } of MODELS) {
    test.each([
      { preset: "blog_thumbnail" as const, width: 1200, height: 630, format: "webp" as const },
      { preset: null, width: 64, height: 64, format: "png" as const },
    ])(
      `${model}: $width×$height`,
      async ({ preset, width, height, format }) => {
        serveFal(endpoint, fits);
        const { generators } = hostedModels({
          fal: { apiKey: "fal-test-key", baseUrl: fake.url },
          timeoutMs: HAPPY_TIMEOUT_MS,
          pollIntervalMs: 10,
        });
        const generator = generators.find((g) => g.model === model)!;
        const input: ImageJobInput = { prompt: "a lighthouse", preset, width, height, format, seed: 7 };

        const [file] = await generator.generate(input, ctx());

        const submit = fake.requests.find((r) => r.method === "POST")!;
        const sent = (submit.json() as { image_size: ImageSize }).image_size;
        expect(fits(sent)).toBe(true);
        expectSameRatio({ width, height }, sent);
        const metadata = await sharp(file!.data).metadata();
        expect([metadata.width, metadata.height, metadata.format]).toEqual([width, height, format]);
        expect(file).toMatchObject({ width, height, extension: format });
      },
      HAPPY_TIMEOUT_MS,
    );
  }
});
