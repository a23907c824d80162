import { JobRequest } from "@mcpmediaengine/contract";
import { describe, expect, test } from "vitest";
import { FlagError, generateOptions, generateUsage, jobRequestFromFlags } from "./generate-flags";

describe("generate's flags, read from the contract", () => {
  test("every field of every job type is a flag, and the request they make is a valid job request", () => {
    const image = jobRequestFromFlags("image", "a lighthouse", {
      model: "local-studio",
      preset: "social_post",
      size: "640x480",
      format: "webp",
      seed: "42",
      "webhook-url": "https://example.com/hook",
      "webhook-events": "job.completed,job.failed",
      metadata: ["campaign=spring", "lang=en"],
    });
    expect(image).toEqual({
      type: "image",
      prompt: "a lighthouse",
      model: "local-studio",
      preset: "social_post",
      width: 640,
      height: 480,
      format: "webp",
      seed: 42,
      webhookUrl: "https://example.com/hook",
      webhookEvents: ["job.completed", "job.failed"],
      metadata: { campaign: "spring", lang: "en" },
    });
    const video = jobRequestFromFlags("video", "a tour", {
      duration: "3",
      "aspect-ratio": "9:16",
      voiceover: "Welcome aboard.",
      voice: "en-us",
      format: "mp4",
    });
    expect(video).toMatchObject({
      durationSeconds: 3,
      aspectRatio: "9:16",
      voiceover: { script: "Welcome aboard.", voice: "en-us" },
    });
    const audio = jobRequestFromFlags("audio", "hello", {
      preset: "voiceover",
      voice: "en-gb",
      speed: "1.25",
      pitch: "0.9",
      format: "wav",
    });
    expect(audio).toMatchObject({ voice: "en-gb", speed: 1.25, pitch: 0.9, format: "wav" });
    for (const request of [image, video, audio]) expect(JobRequest.safeParse(request).success).toBe(true);
  });

  test("a flag for every field the contract has, so a new field is a new flag", () => {
    const flags = Object.keys(generateOptions());
    for (const option of JobRequest.options) {
      for (const field of Object.keys(option.shape)) {
        if (["type", "prompt"].includes(field)) continue;
        const flag =
          field === "durationSeconds" ? "duration" : field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
        expect([field, flags.includes(flag)]).toEqual([field, true]);
      }
    }
  });

  test.each([
    [{ seed: "abc" }, "image", "--seed must be an integer."],
    [{ seed: "1.5" }, "image", "--seed must be an integer."],
    [{ width: "" }, "image", "--width must be an integer."],
    [{ speed: "fast" }, "audio", "--speed must be a number."],
    [{ format: "gif" }, "image", '--format must be one of png, webp, jpeg, avif, not "gif".'],
    [{ size: "big" }, "image", "--size must be WIDTHxHEIGHT in pixels, such as 1024x768."],
    [{ voice: "en-us" }, "image", "--voice is not an option of image jobs (it is for video and audio)."],
    [{ duration: "3" }, "audio", "--duration is not an option of audio jobs (it is for video)."],
    [
      { voice: "en-us" },
      "video",
      "--voice picks the voiceover's voice: give the script with --voiceover too.",
    ],
    [{ metadata: ["novalue"] }, "image", '--metadata takes KEY=VALUE, not "novalue".'],
  ] as const)("%o for %s is refused naming the flag: %s", (values, type, message) => {
    const run = () => jobRequestFromFlags(type, "x", values as never);
    expect(run).toThrow(FlagError);
    expect(run).toThrow(message);
  });

  test("a value the field's limits refuse names the flag too", () => {
    expect(() => jobRequestFromFlags("image", "x", { width: "10" })).toThrow(/^--width: /);
    expect(() => jobRequestFromFlags("video", "x", { duration: "99" })).toThrow(/^--duration: /);
  });

  test("--help lists each type's flags with the contract's description", () => {
    const usage = generateUsage();
    expect(usage).toMatch(/^Usage: mcp-media-engine generate image\|video\|audio "PROMPT"/);
    expect(usage).toMatch(/--seed N\s+Seed for the generator/);
    expect(usage).toMatch(/--aspect-ratio 16:9\|9:16\|1:1\s+Frame shape/);
    expect(usage).toMatch(/--speed N\s+Speaking rate/);
    expect(usage).toMatch(/--size WxH\s+Width and height/);
  });
});
