import type { Job } from "@mcpmediaengine/contract";
import { expect, test } from "vitest";
import { anotherSeed, newSeed } from "./another-seed";

const job = (type: Job["type"], input: Record<string, unknown>) =>
  ({ jobId: "job_1", type, model: "m", input }) as unknown as Job;

test("an image with a preset is asked again by its preset, one without by its size", () => {
  const preset = anotherSeed(
    job("image", { prompt: "p", preset: "social_post", width: 1080, height: 1080, format: "png", seed: 3 }),
  );
  expect(preset.name).toBe("generate_image");
  expect(preset.arguments).toMatchObject({ prompt: "p", preset: "social_post", format: "png", model: "m" });
  expect(preset.arguments).not.toHaveProperty("width");
  expect(preset.arguments.seed).not.toBe(3);
  const free = anotherSeed(
    job("image", { prompt: "p", preset: null, width: 640, height: 480, format: "webp", seed: 3 }),
  );
  expect(free.arguments).toMatchObject({ width: 640, height: 480 });
  expect(free.arguments).not.toHaveProperty("preset");
});

test("a clip keeps its length, shape and voiceover; speech its voice and delivery", () => {
  const clip = anotherSeed(
    job("video", {
      prompt: "p",
      durationSeconds: 3,
      aspectRatio: "9:16",
      width: 720,
      height: 1280,
      fps: 30,
      voiceover: null,
      format: "mp4",
      seed: 1,
    }),
  );
  expect(clip).toMatchObject({
    name: "generate_video",
    arguments: { durationSeconds: 3, aspectRatio: "9:16" },
  });
  expect(clip.arguments).not.toHaveProperty("voiceover");
  expect(clip.arguments).not.toHaveProperty("fps");
  const speech = anotherSeed(
    job("audio", {
      prompt: "p",
      preset: "speech",
      voice: "en",
      speed: 1.2,
      pitch: 1,
      format: "mp3",
      seed: 1,
    }),
  );
  expect(speech).toMatchObject({
    name: "generate_audio",
    arguments: { voice: "en", speed: 1.2, pitch: 1, preset: "speech" },
  });
});

test("a new seed is in the engine's range and never the old one", () => {
  for (let i = 0; i < 200; i++) {
    const seed = newSeed(5);
    expect(seed).not.toBe(5);
    expect(seed).toBeGreaterThanOrEqual(0);
    expect(seed).toBeLessThan(2 ** 31);
  }
});
