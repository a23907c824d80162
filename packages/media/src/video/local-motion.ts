import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { VideoJobInput } from "@mcpmediaengine/contract";
import { type Canvas, createCanvas, type SKRSContext2D } from "@napi-rs/canvas";
import { buildCues, type Cue } from "../audio/captions";
import { wavFile } from "../audio/encode-audio";
import { SPEECH_SAMPLE_RATE, type Speech } from "../audio/espeak";
import { synthesizeSpeech } from "../audio/local-voice";
import { BITEXACT, runFfmpeg, writeChunk } from "../ffmpeg";
import { type GeneratedFile, type Generator, throwIfAborted, untilAborted } from "../generator";
import { encodeImage } from "../image/encode";
import { drawScene } from "../image/local-studio";
import { createRandom } from "../image/random";
import { stillAsKey } from "../local/input-still";
import { createCamera, OVERSCAN } from "./camera";
import { drawCaption } from "./captions-overlay";
import { clipFiles } from "./clip-files";

export const LOCAL_MOTION_MODEL = "local-motion";

/** Makes the key image the camera moves over, at the size asked. */
type KeyImage = (width: number, height: number) => Promise<Canvas>;

/** The most a narration is sped up to fit its clip; beyond that it is cut at the clip's end. */
const MAX_NARRATION_SPEEDUP = 1.6;

/** Fixed encoder settings: with bit-exact muxing, the same frames and sound always give the same file. */
const VIDEO_CODEC = [
  "-c:v",
  "libx264",
  "-preset",
  "veryfast",
  "-crf",
  "23",
  "-pix_fmt",
  "yuv420p",
  "-g",
  "60",
];
const AUDIO_CODEC = ["-c:a", "aac", "-b:a", "96k", "-ar", "44100", "-ac", "1"];

/**
 * Our offline video model: a key image drawn from the prompt, a slow pan and zoom over it, captions that follow
 * the narration (or the prompt, spread over the clip), and a voiceover track when a script is given; H.264 and
 * AAC in MP4, plus a PNG poster. Frames are drawn one at a time and streamed into ffmpeg, so memory stays flat
 * however long the clip.
 */
export function createLocalMotionGenerator(): Generator<"video"> {
  return {
    model: LOCAL_MOTION_MODEL,
    type: "video",
    provider: "local",
    generate: (input, { signal, onProgress, images }) =>
      untilAborted(signal, async (): Promise<GeneratedFile[]> => {
        const speech = input.voiceover ? await narrate(input, signal) : undefined;
        onProgress?.(0.05);
        // The narration and the MP4 are written here, and removed however the job ends.
        const dir = await mkdtemp(join(tmpdir(), "mme-video-"));
        try {
          const still = images?.inputs[0];
          const { video, poster } = await renderClip(
            input,
            speech,
            dir,
            signal,
            (f) => onProgress?.(0.05 + f * 0.9),
            still && ((w, h) => stillAsKey(still, w, h)),
          );
          return clipFiles(video, poster, input);
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      }),
  };
}

/** The narration at a steady pace, sped up (to a point) when the script is longer than the clip. */
export async function narrate(input: VideoJobInput, signal?: AbortSignal): Promise<Speech> {
  const { script, voice } = input.voiceover!;
  const room = input.durationSeconds * 1000 * 0.95;
  const base = { prompt: script, preset: "voiceover", voice, pitch: 1 } as const;
  const speech = await synthesizeSpeech({ ...base, speed: 1 }, { signal });
  if (speech.durationMs <= room) return speech;
  const speed = Math.min(MAX_NARRATION_SPEEDUP, speech.durationMs / room);
  return synthesizeSpeech({ ...base, speed }, { signal });
}

/**
 * The clip's frames, one RGBA buffer at a time (each is reused for the next: write it before asking for more),
 * and the poster, the opening shot without its caption.
 */
export async function* clipFrames(
  input: VideoJobInput,
  speech: Speech | undefined,
  keyImage?: KeyImage,
): AsyncGenerator<{ rgba: Buffer; poster?: Buffer }> {
  const { width, height, fps, durationSeconds } = input;
  const frameCount = durationSeconds * fps;
  const random = createRandom(input.seed, `video:${input.prompt}`);
  // The key image: a given still (image-to-video), or the landscape of the prompt's scene; the camera moves the
  // way that scene suits (over a given still, the default move around its centre).
  const drawn = keyImage
    ? undefined
    : drawScene({
        prompt: input.prompt,
        preset: null,
        width: Math.round(width * OVERSCAN),
        height: Math.round(height * OVERSCAN),
        seed: input.seed,
      });
  const camera = createCamera(width, height, random, drawn?.spec, drawn?.focus);
  const key = drawn ? drawn.canvas : await keyImage!(camera.imageWidth, camera.imageHeight);
  const cues = speech ? buildCues(speech.words, 6) : promptCues(input.prompt, durationSeconds * 1000);
  const ctx = createCanvas(width, height).getContext("2d");
  for (let frame = 0; frame < frameCount; frame++) {
    const t = frameCount === 1 ? 0 : frame / (frameCount - 1);
    const crop = camera.at(t);
    ctx.drawImage(key, crop.x, crop.y, crop.width, crop.height, 0, 0, width, height);
    const poster =
      frame === 0 ? await encodeImage(pixelsOf(ctx, width, height), width, height, "png") : undefined;
    drawCaption(ctx, cues, (frame / fps) * 1000, width, height);
    yield { rgba: pixelsOf(ctx, width, height), ...(poster && { poster }) };
  }
}

/** ffmpeg's arguments for the clip: raw RGBA frames from `video`, the sound, H.264 + AAC in MP4 at `out`. */
export function clipEncoderArgs(
  input: VideoJobInput,
  video: string,
  narration: string | undefined,
  out: string,
) {
  const audio = narration
    ? ["-i", narration]
    : ["-f", "lavfi", "-i", "anullsrc=channel_layout=mono:sample_rate=44100"];
  return [
    ...[
      "-f",
      "rawvideo",
      "-pix_fmt",
      "rgba",
      "-s",
      `${input.width}x${input.height}`,
      "-r",
      String(input.fps),
    ],
    ...["-i", video, ...audio, "-map", "0:v", "-map", "1:a", "-t", String(input.durationSeconds)],
    ...VIDEO_CODEC,
    ...AUDIO_CODEC,
    // A narration shorter than the clip is padded with silence; a longer one is cut at the clip's end.
    ...["-af", "apad"],
    ...BITEXACT,
    ...["-movflags", "+faststart", "-f", "mp4", "-y", out],
  ];
}

/** Streams the clip's frames into ffmpeg and returns the MP4 and the poster. */
async function renderClip(
  input: VideoJobInput,
  speech: Speech | undefined,
  dir: string,
  signal: AbortSignal,
  onProgress: (fraction: number) => void,
  keyImage?: KeyImage,
): Promise<{ video: Buffer; poster: Buffer }> {
  const frameCount = input.durationSeconds * input.fps;
  const narration = speech ? await writeNarration(dir, speech) : undefined;
  const out = join(dir, "clip.mp4");
  let poster: Buffer | undefined;
  await runFfmpeg(clipEncoderArgs(input, "pipe:0", narration, out), {
    signal,
    feed: async (stdin) => {
      let frame = 0;
      // The signal is looked at between frames (each takes a few milliseconds to draw): on abort the loop
      // ends and runFfmpeg kills ffmpeg, then settles once both have stopped.
      for await (const next of clipFrames(input, speech, keyImage)) {
        throwIfAborted(signal);
        poster ??= next.poster;
        await writeChunk(stdin, next.rgba);
        if (++frame % input.fps === 0) onProgress(frame / frameCount);
      }
    },
  });
  onProgress(1);
  return { video: await readFile(out), poster: poster! };
}

function pixelsOf(ctx: SKRSContext2D, width: number, height: number): Buffer {
  const { data } = ctx.getImageData(0, 0, width, height);
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

export async function writeNarration(dir: string, speech: Speech): Promise<string> {
  const path = join(dir, "narration.wav");
  await writeFile(path, wavFile(speech.samples, SPEECH_SAMPLE_RATE));
  return path;
}

/** Without narration the prompt is the caption: its words spread evenly over the clip, a few at a time. */
function promptCues(prompt: string, durationMs: number): Cue[] {
  const words = prompt.split(/\s+/).filter(Boolean).slice(0, 40);
  const span = (durationMs * 0.9) / Math.max(1, words.length);
  const timed = words.map((word, i) => ({
    word,
    startMs: Math.round(durationMs * 0.05 + i * span),
    endMs: Math.round(durationMs * 0.05 + (i + 1) * span),
  }));
  return buildCues(timed, 6);
}
