import { createWriteStream, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import type { AudioJobInput, VideoJobInput } from "@mcpmediaengine/contract";
import {
  clipEncoderArgs,
  clipFrames,
  createLocalMotionGenerator,
  createLocalVoiceGenerator,
  drawImage,
  encodeAudio,
  encodeImage,
  narrate,
  runFfmpeg,
  SPEECH_SAMPLE_RATE,
  synthesizeSpeech,
  writeChunk,
  writeNarration,
} from "@mcpmediaengine/media";

// One measurement per process, so each peak memory figure is that case's alone. Prints one JSON line.

export const SCRIPT_30_WORDS =
  "Every morning the harbour wakes slowly. Fishing boats drift out past the lighthouse, gulls circle overhead, and the smell of salt and diesel fills the cool air before the town begins its day.";

export const clip = (durationSeconds: number): VideoJobInput => ({
  prompt: "A quiet harbour at dawn",
  durationSeconds,
  aspectRatio: "16:9",
  width: 1280,
  height: 720,
  fps: 30,
  voiceover: { script: SCRIPT_30_WORDS.split(" ").slice(0, 12).join(" "), voice: "en-us-female" },
  format: "mp4",
  seed: 7,
});

const voiceover: AudioJobInput = {
  prompt: SCRIPT_30_WORDS,
  preset: "voiceover",
  voice: "en-us-female",
  speed: 1,
  pitch: 1,
  format: "mp3",
  seed: 1,
};

/** The highest peak resident memory of this process's children (ffmpeg), read from /proc while they run. */
function watchChildren() {
  let peakKb = 0;
  const timer = setInterval(() => {
    for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
      try {
        const status = readFileSync(`/proc/${pid}/status`, "utf8");
        if (Number(/PPid:\s+(\d+)/.exec(status)?.[1]) !== process.pid) continue;
        peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
      } catch {
        // gone already
      }
    }
  }, 20);
  return () => {
    clearInterval(timer);
    return peakKb / 1024;
  };
}

async function measure(work: () => Promise<unknown>) {
  const stop = watchChildren();
  const started = performance.now();
  await work();
  const wallMs = performance.now() - started;
  return { wallMs, nodePeakMb: process.resourceUsage().maxRSS / 1024, ffmpegPeakMb: stop() };
}

/** One prompt of each kind local-studio draws, at about one megapixel (1024×1024). */
const STUDIO_PROMPTS = [
  [null, "misty mountain lake at sunrise"],
  [null, "a quiet harbour at dawn"],
  [null, "city skyline at night in the rain"],
  ["product_shot", "red ceramic mug on marble"],
  ["product_shot", "blue running shoes"],
  ["blog_thumbnail", "How we cut our cloud bill in half with Postgres queues"],
  ["social_post", "Weekend coffee ☕ and croissants 🥐"],
  ["social_post", "東京の春 桜が満開です"],
] as const;

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/**
 * local-studio's whole render (draw + PNG encode) against sharp encoding the same pixels alone, each the p50 per
 * megapixel over the prompts above, three times each after one warm-up (fonts and icons load once per process).
 */
async function studio() {
  const side = 1024;
  const megapixels = (side * side) / 1e6;
  const render: number[] = [];
  const encode: number[] = [];
  for (let round = 0; round < 4; round++) {
    for (const [preset, prompt] of STUDIO_PROMPTS) {
      const input = { prompt, preset, width: side, height: side, seed: round, format: "png" } as const;
      const started = performance.now();
      const canvas = drawImage(input);
      const rgba = Buffer.from(canvas.getContext("2d").getImageData(0, 0, side, side).data.buffer);
      const drawn = performance.now();
      await encodeImage(rgba, side, side, "png");
      const done = performance.now();
      if (round === 0) continue;
      render.push((done - started) / megapixels);
      encode.push((done - drawn) / megapixels);
    }
  }
  return {
    wallMs: median(render),
    encodeMs: median(encode),
    nodePeakMb: process.resourceUsage().maxRSS / 1024,
    ffmpegPeakMb: 0,
  };
}

const signal = new AbortController().signal;
const cases: Record<string, () => Promise<object>> = {
  studio,
  // The whole generator: narration, key image, frames drawn and streamed into ffmpeg, poster.
  clip: () =>
    measure(() => createLocalMotionGenerator().generate(clip(Number(process.argv[3] ?? 5)), { signal })),
  // ffmpeg alone on the same frames and narration, read from files written beforehand (not timed).
  ffmpeg: async () => {
    const dir = await mkdtemp(join(tmpdir(), "mme-bench-frames-"));
    try {
      const input = clip(5);
      const speech = await narrate(input);
      const narration = await writeNarration(dir, speech);
      const frames = join(dir, "frames.rgba");
      const file = createWriteStream(frames);
      for await (const { rgba } of clipFrames(input, speech)) await writeChunk(file, rgba);
      file.end();
      await finished(file);
      return await measure(() => runFfmpeg(clipEncoderArgs(input, frames, narration, join(dir, "out.mp4"))));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
  voiceover: () => measure(() => createLocalVoiceGenerator().generate(voiceover, { signal })),
  // ffmpeg alone encoding the same samples to MP3.
  "voiceover-encode": async () => {
    const speech = await synthesizeSpeech(voiceover);
    const result = await measure(() => encodeAudio(speech.samples, SPEECH_SAMPLE_RATE, "mp3"));
    return { ...result, audioMs: speech.durationMs };
  },
};

const run = cases[process.argv[2] ?? ""];
if (!run) throw new Error(`unknown case ${process.argv[2]}`);
// Warm the engines' one-time start (eSpeak's tables, fonts) outside the measurement, as a worker would be.
await synthesizeSpeech({ ...voiceover, prompt: "Ready." });
console.log(JSON.stringify(await run()));
