import type { AudioJobInput } from "@mcpmediaengine/contract";
import { describe, expect, test } from "vitest";
import { espeakThreadId } from "../src/audio/espeak";
import { createLocalVoiceGenerator } from "../src/audio/local-voice";
import { ffmpegPath, runningFfmpegPids } from "../src/ffmpeg";
import { decodeFully, probe } from "./probe";
import { expectAborted } from "./providers/fixtures";

const voice = createLocalVoiceGenerator();
const LONG_TEXT = Array.from(
  { length: 12 },
  (_, i) => `This is sentence number ${i + 1} of a long read.`,
).join(" ");
const signal = new AbortController().signal;
const input = (overrides: Partial<AudioJobInput> = {}): AudioJobInput => ({
  prompt: "Welcome back to the show. Tonight we look at three ways to ship faster!",
  preset: "speech",
  voice: "en-us-female",
  speed: 1,
  pitch: 1,
  format: "mp3",
  seed: 1,
  ...overrides,
});

describe("local-voice", () => {
  test.each([
    ["wav", "pcm_s16le", "22050", "audio/wav"],
    ["mp3", "mp3", "44100", "audio/mpeg"],
    ["opus", "opus", "48000", "audio/ogg"],
    ["aac", "aac", "44100", "audio/aac"],
  ] as const)(
    "%s: the codec, rate and length ffprobe reads, and it decodes",
    async (format, codec, rate, mime) => {
      const [audio] = await voice.generate(input({ format }), { signal });
      expect(audio!.mimeType).toBe(mime);
      const { streams, format: container } = probe(audio!.data, format);
      expect(streams).toHaveLength(1);
      expect(streams[0]).toMatchObject({
        codec_type: "audio",
        codec_name: codec,
        sample_rate: rate,
        channels: 1,
      });
      // The stored duration is the speech's; the container's may add an encoder's frame of padding.
      expect(Math.abs(Number(container.duration) * 1000 - audio!.durationMs!)).toBeLessThan(120);
      expect(audio!.durationMs).toBeGreaterThan(2500);
      decodeFully(audio!.data, format, ffmpegPath());
    },
  );

  test("the same input gives the same bytes, whatever was spoken in between", async () => {
    const first = await voice.generate(input({ format: "opus" }), { signal });
    await voice.generate(input({ prompt: "Something else entirely.", voice: "en-gb-male" }), { signal });
    const again = await voice.generate(input({ format: "opus" }), { signal });
    expect(again.map((f) => f.data.toString("base64"))).toEqual(first.map((f) => f.data.toString("base64")));
  });

  test("voices, speed and pitch change the speech", async () => {
    const wav = (o: Partial<AudioJobInput>) => voice.generate(input({ format: "wav", ...o }), { signal });
    const [base] = await wav({});
    const [other] = await wav({ voice: "en-gb-male" });
    const [fast] = await wav({ speed: 1.8 });
    const [high] = await wav({ pitch: 1.6 });
    expect(other!.data.equals(base!.data)).toBe(false);
    expect(high!.data.equals(base!.data)).toBe(false);
    expect(fast!.durationMs!).toBeLessThan(base!.durationMs! * 0.75);
  });

  test("captions: SRT and WebVTT with every word in order, timed within the audio", async () => {
    const [audio, srt, vtt, timings] = await voice.generate(input(), { signal });
    expect(timings).toMatchObject({ extension: "json", mimeType: "application/json", role: "captions" });
    const { words } = JSON.parse(timings!.data.toString()) as {
      words: { word: string; startMs: number; endMs: number }[];
    };
    expect(words.map((w) => w.word).join(" ")).toBe(input().prompt);
    expect(
      words.every((w, i) => w.endMs >= w.startMs && (i === 0 || w.startMs >= words[i - 1]!.startMs)),
    ).toBe(true);
    expect(srt).toMatchObject({ extension: "srt", mimeType: "application/x-subrip", role: "captions" });
    expect(vtt).toMatchObject({ extension: "vtt", mimeType: "text/vtt", role: "captions" });
    const srtText = srt!.data.toString();
    expect(srtText).toMatch(/^1\n00:00:00,000 --> 00:00:0\d,\d{3}\nWelcome back to the show\.\n/);
    const vttText = vtt!.data.toString();
    expect(vttText.startsWith("WEBVTT\n\n")).toBe(true);
    const spoken = [...vttText.matchAll(/-->.*\n(.*)\n/g)].map((m) => m[1]).join(" ");
    expect(spoken).toBe(input().prompt);
    const times = [...srtText.matchAll(/(\d\d):(\d\d):(\d\d),(\d{3})/g)].map(
      ([, h, m, s, ms]) => ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1000 + Number(ms),
    );
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(times.at(-1)!).toBeLessThanOrEqual(audio!.durationMs!);
  });

  test("voiceover pauses longer at sentence ends than speech does", async () => {
    const two = "One sentence here. Another sentence there.";
    const cueGap = async (preset: "speech" | "voiceover") => {
      const [, srt] = await voice.generate(input({ prompt: two, preset, format: "wav" }), { signal });
      const starts = [...srt!.data.toString().matchAll(/(\d\d),(\d{3}) -->/g)].map(
        ([, s, ms]) => Number(s) * 1000 + Number(ms),
      );
      const ends = [...srt!.data.toString().matchAll(/--> \d\d:\d\d:(\d\d),(\d{3})/g)].map(
        ([, s, ms]) => Number(s) * 1000 + Number(ms),
      );
      return starts[1]! - ends[0]!;
    };
    expect(await cueGap("voiceover")).toBeGreaterThan((await cueGap("speech")) + 200);
  });

  test("text that looks like markup is spoken as written, and captioned as written", async () => {
    const [, srt] = await voice.generate(input({ prompt: "Use <b>bold</b> & italics." }), { signal });
    expect(srt!.data.toString()).toMatch("Use <b>bold</b> & italics.");
  });

  test("an already canceled job starts nothing", async () => {
    const controller = new AbortController();
    controller.abort(new Error("canceled"));
    const progress: number[] = [];
    await expectAborted(
      voice.generate(input(), { signal: controller.signal, onProgress: (f) => progress.push(f) }),
      controller.signal.reason,
    );
    expect(progress).toEqual([]);
  });

  test("canceled between sentences: it stops there, reports nothing more, and speaks the same afterwards", async () => {
    const [before] = await voice.generate(input({ format: "wav" }), { signal });
    const controller = new AbortController();
    const reason = new Error("canceled");
    const progress: number[] = [];
    const running = voice.generate(input({ prompt: LONG_TEXT, format: "wav" }), {
      signal: controller.signal,
      onProgress: (f) => {
        progress.push(f);
        controller.abort(reason);
      },
    });
    await expectAborted(running, reason);
    expect(progress).toHaveLength(1);
    const [after] = await voice.generate(input({ format: "wav" }), { signal });
    expect(after!.data.equals(before!.data)).toBe(true);
  });

  test("canceled mid-sentence: eSpeak's thread is ended, and a fresh one speaks exactly as the old one did", async () => {
    const [before] = await voice.generate(input({ format: "wav" }), { signal });
    const thread = espeakThreadId();
    expect(thread).toBeDefined();
    const controller = new AbortController();
    const progress: number[] = [];
    // One long sentence, already handed to the thread when the abort comes.
    const running = voice.generate(input({ prompt: "word ".repeat(2000), format: "mp3" }), {
      signal: controller.signal,
      onProgress: (f) => progress.push(f),
    });
    controller.abort(new Error("canceled"));
    await expectAborted(running, controller.signal.reason);
    expect(espeakThreadId()).toBeUndefined();
    expect(progress).toEqual([]);
    expect(runningFfmpegPids()).toEqual([]);
    const [after] = await voice.generate(input({ format: "wav" }), { signal });
    expect(espeakThreadId()).not.toBe(thread);
    expect(after!.data.equals(before!.data)).toBe(true);
  });

  test("jobs waiting for eSpeak behind a canceled one are not disturbed", async () => {
    const [alone] = await voice.generate(input({ format: "wav" }), { signal });
    const controller = new AbortController();
    const canceled = voice.generate(input({ prompt: "word ".repeat(2000), format: "wav" }), {
      signal: controller.signal,
    });
    const waiting = voice.generate(input({ format: "wav" }), { signal });
    controller.abort(new Error("canceled"));
    await expectAborted(canceled, controller.signal.reason);
    const [after] = await waiting;
    expect(after!.data.equals(alone!.data)).toBe(true);
  });
});
