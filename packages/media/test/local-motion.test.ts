import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { VideoJobInput } from "@mcpmediaengine/contract";
import { imageSize } from "image-size";
import { afterAll, describe, expect, test } from "vitest";
import { ffmpegPath, runningFfmpegPids } from "../src/ffmpeg";
import { createLocalMotionGenerator } from "../src/video/local-motion";
import { alive, decodeFully, probe } from "./probe";
import { expectAborted } from "./providers/fixtures";

// This file's own temporary folder, so that anything an aborted clip leaves behind shows (other processes share
// the system's).
const tmp = mkdtempSync(join(tmpdir(), "mme-motion-test-"));
process.env.TMPDIR = tmp;
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const motion = createLocalMotionGenerator();
const signal = new AbortController().signal;
const input = (overrides: Partial<VideoJobInput> = {}): VideoJobInput => ({
  prompt: "A quiet harbour at dawn",
  durationSeconds: 2,
  aspectRatio: "16:9",
  width: 1280,
  height: 720,
  fps: 30,
  voiceover: { script: "The harbour wakes slowly. Boats drift out.", voice: "en-us-female" },
  format: "mp4",
  seed: 7,
  ...overrides,
});

describe("local-motion", () => {
  test("an MP4 with H.264 video and AAC audio, as long as asked, that decodes; and a poster", async () => {
    const progress: number[] = [];
    const [video, poster] = await motion.generate(input({ durationSeconds: 3 }), {
      signal,
      onProgress: (f) => progress.push(f),
    });
    expect(video).toMatchObject({
      mimeType: "video/mp4",
      extension: "mp4",
      width: 1280,
      height: 720,
      durationMs: 3000,
    });
    const { format, streams } = probe(video!.data, "mp4");
    expect(format.format_name).toMatch(/mp4/);
    expect(Number(format.duration)).toBeCloseTo(3, 1);
    const v = streams.find((s) => s.codec_type === "video")!;
    const a = streams.find((s) => s.codec_type === "audio")!;
    expect(v).toMatchObject({
      codec_name: "h264",
      width: 1280,
      height: 720,
      pix_fmt: "yuv420p",
      r_frame_rate: "30/1",
    });
    expect(Number(v.nb_frames)).toBe(90);
    expect(a).toMatchObject({ codec_name: "aac", sample_rate: "44100" });
    expect(Number(a.duration)).toBeCloseTo(3, 1);
    decodeFully(video!.data, "mp4", ffmpegPath());
    expect(poster).toMatchObject({ mimeType: "image/png", role: "poster" });
    expect(imageSize(poster!.data)).toMatchObject({ width: 1280, height: 720 });
    expect(progress.length).toBeGreaterThan(2);
    expect([...progress].sort((x, y) => x - y)).toEqual(progress);
  });

  test.each([
    ["9:16", 720, 1280],
    ["1:1", 1080, 1080],
  ] as const)(
    "%s without a voiceover: %i×%i, with a silent audio track",
    async (aspectRatio, width, height) => {
      const [video] = await motion.generate(
        input({ aspectRatio, width, height, durationSeconds: 1, voiceover: null }),
        { signal },
      );
      const { streams } = probe(video!.data, "mp4");
      expect(streams.find((s) => s.codec_type === "video")).toMatchObject({ width, height });
      expect(streams.find((s) => s.codec_type === "audio")).toMatchObject({ codec_name: "aac" });
    },
  );

  test("the same input gives the same bytes; another seed moves the camera differently", async () => {
    const one = await motion.generate(input({ durationSeconds: 1 }), { signal });
    const two = await motion.generate(input({ durationSeconds: 1 }), { signal });
    expect(two[0]!.data.equals(one[0]!.data)).toBe(true);
    expect(two[1]!.data.equals(one[1]!.data)).toBe(true);
    const other = await motion.generate(input({ durationSeconds: 1, seed: 8 }), { signal });
    expect(other[0]!.data.equals(one[0]!.data)).toBe(false);
  });

  test("a narration longer than the clip is sped up and cut to the clip's length", async () => {
    const script =
      "This narration is far too long for a one second clip. It keeps going and going, sentence after sentence.";
    const [video] = await motion.generate(
      input({ durationSeconds: 1, voiceover: { script, voice: "en-gb-male" } }),
      {
        signal,
      },
    );
    expect(Number(probe(video!.data, "mp4").format.duration)).toBeCloseTo(1, 1);
  });

  test("canceling mid-encode kills ffmpeg, stops the frames and removes the clip's files", async () => {
    const controller = new AbortController();
    const reason = new Error("canceled");
    const progress: number[] = [];
    let encoders: number[] = [];
    const running = motion.generate(input({ durationSeconds: 10 }), {
      signal: controller.signal,
      onProgress: (f) => {
        progress.push(f);
        // Past the narration, frames are streaming into ffmpeg.
        if (f > 0.05 && !controller.signal.aborted) {
          encoders = runningFfmpegPids();
          controller.abort(reason);
        }
      },
    });
    await expectAborted(running, reason);
    expect(encoders).toHaveLength(1);
    expect(alive(encoders[0]!)).toBe(false);
    expect(runningFfmpegPids()).toEqual([]);
    expect(readdirSync(tmp)).toEqual([]);
    const reported = progress.length;
    // A whole other clip is made meanwhile: the canceled one reports nothing more.
    await motion.generate(input({ durationSeconds: 1, voiceover: null }), { signal });
    expect(progress).toHaveLength(reported);
  });

  test("canceling during the narration stops the speech; no encode starts", async () => {
    const controller = new AbortController();
    const progress: number[] = [];
    const running = motion.generate(input(), {
      signal: controller.signal,
      onProgress: (f) => progress.push(f),
    });
    controller.abort(new Error("canceled"));
    await expectAborted(running, controller.signal.reason);
    expect(progress).toEqual([]);
    expect(runningFfmpegPids()).toEqual([]);
    expect(readdirSync(tmp)).toEqual([]);
  });

  test("an already canceled job starts nothing", async () => {
    const controller = new AbortController();
    controller.abort(new Error("canceled"));
    const progress: number[] = [];
    await expectAborted(
      motion.generate(input(), { signal: controller.signal, onProgress: (f) => progress.push(f) }),
      controller.signal.reason,
    );
    expect(progress).toEqual([]);
    expect(readdirSync(tmp)).toEqual([]);
  });
});
