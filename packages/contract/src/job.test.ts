import { describe, expect, test } from "vitest";
import { ImageJobRequest, isTerminalStatus, JobRequest, ListJobsRequest, MAX_SPEECH_CHARACTERS } from "./job";
import { findModel, jobCost } from "./models";

describe("ImageJobRequest", () => {
  test("accepts the smallest request and trims the prompt", () => {
    const parsed = ImageJobRequest.parse({ type: "image", prompt: "  a red fox  " });
    expect(parsed).toEqual({ type: "image", prompt: "a red fox" });
  });

  test.each([
    ["no prompt", { type: "image" }, "prompt"],
    ["an empty prompt", { type: "image", prompt: "   " }, "prompt"],
    ["a prompt too long", { type: "image", prompt: "x".repeat(4001) }, "prompt"],
    ["a width too small", { type: "image", prompt: "x", width: 10 }, "width"],
    ["a height too large", { type: "image", prompt: "x", height: 4096 }, "height"],
    ["a fractional width", { type: "image", prompt: "x", width: 100.5 }, "width"],
    ["an unknown preset", { type: "image", prompt: "x", preset: "poster" }, "preset"],
    ["an unknown format", { type: "image", prompt: "x", format: "gif" }, "format"],
    ["a negative seed", { type: "image", prompt: "x", seed: -1 }, "seed"],
    [
      "a webhook that is not http",
      { type: "image", prompt: "x", webhookUrl: "ftp://example.com/hook" },
      "webhookUrl",
    ],
    ["a webhook that is not a URL", { type: "image", prompt: "x", webhookUrl: "not a url" }, "webhookUrl"],
    [
      "too many metadata keys",
      {
        type: "image",
        prompt: "x",
        metadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])),
      },
      "metadata",
    ],
    ["a nested metadata value", { type: "image", prompt: "x", metadata: { a: { b: 1 } } }, "metadata"],
  ])("rejects %s", (_name, input, field) => {
    const result = ImageJobRequest.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path[0])).toContain(field);
  });

  test("rejects unknown fields", () => {
    const result = ImageJobRequest.safeParse({ type: "image", prompt: "x", colour: "red" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.code).toBe("unrecognized_keys");
  });
});

describe("ListJobsRequest", () => {
  test("coerces the limit from a query string and defaults it", () => {
    expect(ListJobsRequest.parse({ limit: "5" }).limit).toBe(5);
    expect(ListJobsRequest.parse({}).limit).toBe(20);
    expect(ListJobsRequest.safeParse({ limit: "500" }).success).toBe(false);
  });

  test("takes ISO times for the date filters", () => {
    expect(ListJobsRequest.safeParse({ createdAfter: "2026-01-01T00:00:00Z" }).success).toBe(true);
    expect(ListJobsRequest.safeParse({ createdAfter: "yesterday" }).success).toBe(false);
  });
});

test("terminal statuses are exactly completed, failed and canceled", () => {
  expect(
    ["queued", "processing", "completed", "failed", "canceled"].filter((s) => isTerminalStatus(s as never)),
  ).toEqual(["completed", "failed", "canceled"]);
});

const image = (width: number, height: number) =>
  ({ type: "image", input: { prompt: "x", preset: null, width, height, format: "png", seed: 1 } }) as const;

test("image cost grows per started megapixel", () => {
  const model = findModel("gpt-image-2")!;
  expect(jobCost(model, image(512, 512))).toBe(model.credits);
  expect(jobCost(model, image(1024, 1024))).toBe(model.credits * 2);
  expect(jobCost(model, image(2048, 2048))).toBe(model.credits * 5);
});

test("video costs per second and speech per started 1,000 characters", () => {
  const video = findModel("local-motion")!;
  const clip = (durationSeconds: number) =>
    ({
      type: "video",
      input: {
        prompt: "x",
        durationSeconds,
        aspectRatio: "16:9",
        width: 1280,
        height: 720,
        fps: 30,
        voiceover: null,
        format: "mp4",
        seed: 1,
      },
    }) as const;
  expect(jobCost(video, clip(1))).toBe(video.credits);
  expect(jobCost(video, clip(15))).toBe(video.credits * 15);
  const voice = findModel("openai-tts")!;
  const speech = (chars: number) =>
    ({
      type: "audio",
      input: {
        prompt: "a".repeat(chars),
        preset: "speech",
        voice: "alloy",
        speed: 1,
        pitch: 1,
        format: "mp3",
        seed: 1,
      },
    }) as const;
  expect(jobCost(voice, speech(10))).toBe(voice.credits);
  expect(jobCost(voice, speech(1000))).toBe(voice.credits);
  expect(jobCost(voice, speech(1001))).toBe(voice.credits * 2);
});

describe("JobRequest", () => {
  test("tells the media types apart by type and checks each one's own fields", () => {
    expect(
      JobRequest.parse({ type: "video", prompt: "waves", durationSeconds: 15, aspectRatio: "9:16" }),
    ).toMatchObject({
      type: "video",
      durationSeconds: 15,
    });
    expect(JobRequest.safeParse({ type: "video", prompt: "waves", durationSeconds: 16 }).success).toBe(false);
    expect(JobRequest.safeParse({ type: "video", prompt: "waves", preset: "blog_thumbnail" }).success).toBe(
      false,
    );
    expect(
      JobRequest.parse({ type: "audio", prompt: "Hello.", preset: "voiceover", format: "opus" }),
    ).toMatchObject({
      type: "audio",
      preset: "voiceover",
    });
    expect(JobRequest.safeParse({ type: "audio", prompt: "Hi", speed: 3 }).success).toBe(false);
  });

  test("speech longer than one job can hold is refused with the limit in the message", () => {
    const result = JobRequest.safeParse({ type: "audio", prompt: "a".repeat(MAX_SPEECH_CHARACTERS + 1) });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.message).toMatch(`at most ${MAX_SPEECH_CHARACTERS} characters`);
  });
});
