import type { AudioFormat } from "@mcpmediaengine/contract";
import { BITEXACT, runFfmpeg, writeChunk } from "../ffmpeg";

export const AUDIO_MIME_TYPES: Record<AudioFormat, string> = {
  wav: "audio/wav",
  mp3: "audio/mpeg",
  opus: "audio/ogg",
  aac: "audio/aac",
};

/** A WAV file of mono 16-bit samples. */
export function wavFile(samples: Int16Array, sampleRate: number): Buffer {
  const data = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  const header = Buffer.alloc(44);
  header.write("RIFF", 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write("WAVE", 8);
  header.write("fmt ", 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

// Fixed codec settings (and bit-exact output) so the same samples always give the same bytes.
const CODECS: Record<Exclude<AudioFormat, "wav">, string[]> = {
  mp3: ["-c:a", "libmp3lame", "-b:a", "96k", "-ar", "44100", "-f", "mp3"],
  opus: ["-c:a", "libopus", "-b:a", "48k", "-ar", "48000", "-f", "ogg", "-serial_offset", "1"],
  aac: ["-c:a", "aac", "-b:a", "96k", "-ar", "44100", "-f", "adts"],
};

/** Encodes mono 16-bit samples in an audio format. */
export async function encodeAudio(
  samples: Int16Array,
  sampleRate: number,
  format: AudioFormat,
  signal?: AbortSignal,
): Promise<Buffer> {
  if (format === "wav") return wavFile(samples, sampleRate);
  const pcm = new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
  return runFfmpeg(
    [
      "-f",
      "s16le",
      "-ar",
      String(sampleRate),
      "-ac",
      "1",
      "-i",
      "pipe:0",
      ...BITEXACT,
      ...CODECS[format],
      "pipe:1",
    ],
    {
      signal,
      feed: (stdin) => writeChunk(stdin, pcm),
    },
  );
}
