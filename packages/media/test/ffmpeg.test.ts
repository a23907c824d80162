import { describe, expect, test } from "vitest";
import { runFfmpeg, runningFfmpegPids, writeChunk } from "../src/ffmpeg";
import { GenerationAbortedError } from "../src/generator";
import { alive } from "./probe";
import { expectAborted } from "./providers/fixtures";

// Raw samples in, nothing out: ffmpeg reads its stdin for as long as it is fed.
const READ_FOREVER = ["-f", "s16le", "-ar", "22050", "-ac", "1", "-i", "pipe:0", "-f", "null", "-"];
// A test pattern without end: ffmpeg runs until it is stopped.
const RUN_FOREVER = ["-re", "-f", "lavfi", "-i", "testsrc=size=64x64:rate=25", "-f", "null", "-"];

describe("runFfmpeg", () => {
  test("an abort while it is fed kills ffmpeg, ends the feed, and settles only after both", async () => {
    const controller = new AbortController();
    const reason = new Error("canceled");
    let pid: number | undefined;
    let feedEnded = false;
    const chunk = new Uint8Array(64 * 1024);
    const run = runFfmpeg(READ_FOREVER, {
      signal: controller.signal,
      onPid: (p) => {
        pid = p;
      },
      // Never ends by itself, and never looks at the signal: only the closed pipe stops it.
      feed: async (stdin) => {
        try {
          for (let written = 0; ; written++) {
            await writeChunk(stdin, chunk);
            if (written === 10) controller.abort(reason);
          }
        } finally {
          feedEnded = true;
        }
      },
    });
    await expectAborted(run, reason);
    expect(pid).toBeDefined();
    expect(alive(pid!)).toBe(false);
    expect(feedEnded).toBe(true);
    expect(runningFfmpegPids()).toEqual([]);
  });

  test("an abort without a feed kills ffmpeg and settles after it exited", async () => {
    const controller = new AbortController();
    let pid: number | undefined;
    const run = runFfmpeg(RUN_FOREVER, {
      signal: controller.signal,
      onPid: (p) => {
        pid = p;
      },
    });
    expect(runningFfmpegPids()).toEqual([pid]);
    controller.abort(new Error("canceled"));
    await expectAborted(run, controller.signal.reason);
    expect(alive(pid!)).toBe(false);
    expect(runningFfmpegPids()).toEqual([]);
  });

  test("an already aborted signal starts no ffmpeg", async () => {
    const controller = new AbortController();
    controller.abort(new Error("canceled"));
    let started = false;
    await expectAborted(
      runFfmpeg(RUN_FOREVER, {
        signal: controller.signal,
        onPid: () => {
          started = true;
        },
      }),
      controller.signal.reason,
    );
    expect(started).toBe(false);
  });

  test("ffmpeg failing says why, in its own words", async () => {
    const error = await runFfmpeg(["-f", "lavfi", "-i", "nosuchfilter", "-f", "null", "-"]).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(GenerationAbortedError);
    expect((error as Error).message).toMatch(/^ffmpeg exited with \d+: .*nosuchfilter/s);
  });

  test("a feed that fails kills ffmpeg and its error is the one reported", async () => {
    let pid: number | undefined;
    const error = await runFfmpeg(READ_FOREVER, {
      onPid: (p) => {
        pid = p;
      },
      feed: async (stdin) => {
        await writeChunk(stdin, new Uint8Array(1024));
        throw new Error("the frames could not be drawn");
      },
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe("the frames could not be drawn");
    expect(alive(pid!)).toBe(false);
  });

  test("ffmpeg finishing before the feed is done is a success, not a broken pipe", async () => {
    // Takes 0.1 s of sound and stops reading; the feed goes on writing long after.
    const out = await runFfmpeg(
      ["-f", "s16le", "-ar", "22050", "-ac", "1", "-i", "pipe:0", "-t", "0.1", "-f", "s16le", "pipe:1"],
      {
        feed: async (stdin) => {
          const chunk = new Uint8Array(64 * 1024);
          for (let i = 0; i < 2000; i++) await writeChunk(stdin, chunk);
        },
      },
    );
    expect(out.length).toBe(2 * Math.round(22050 * 0.1));
  });
});
