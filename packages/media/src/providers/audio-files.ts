import { wavFile } from "../audio/encode-audio";
import type { GeneratedFile } from "../generator";
import { malformed } from "./http";

export type AudioFileFormat = "mp3" | "opus" | "aac" | "wav";

// Opus comes in an Ogg container from the providers here, hence audio/ogg.
const AUDIO_MIME_TYPES: Record<AudioFileFormat, string> = {
  mp3: "audio/mpeg",
  opus: "audio/ogg",
  aac: "audio/aac",
  wav: "audio/wav",
};

/** True when the bytes start the way a file of that format does. */
export function looksLike(format: AudioFileFormat, data: Buffer): boolean {
  if (data.length < 4) return false;
  const frameSync = data[0] === 0xff && (data[1]! & 0xe0) === 0xe0;
  switch (format) {
    case "mp3":
      return data.subarray(0, 3).toString("latin1") === "ID3" || frameSync;
    case "aac":
      // ADTS: 12 bits of sync, then layer 00.
      return (
        data.subarray(0, 3).toString("latin1") === "ID3" || (data[0] === 0xff && (data[1]! & 0xf6) === 0xf0)
      );
    case "opus":
      return data.subarray(0, 4).toString("latin1") === "OggS";
    case "wav":
      return (
        data.length >= 12 &&
        data.subarray(0, 4).toString("latin1") === "RIFF" &&
        data.subarray(8, 12).toString("latin1") === "WAVE"
      );
  }
}

/**
 * A provider's audio as a file. The bytes must look like the asked format: a 200 carrying an error page or
 * another codec is not passed on under the wrong type.
 */
export function audioFile(
  data: Buffer,
  format: AudioFileFormat,
  provider: string,
  durationMs?: number,
): GeneratedFile {
  if (!looksLike(format, data)) throw malformed(provider, `the audio is not ${format}`);
  const file: GeneratedFile = { data, mimeType: AUDIO_MIME_TYPES[format], extension: format };
  if (durationMs !== undefined) file.durationMs = durationMs;
  return file;
}

/** Wraps 16-bit little-endian mono PCM in a WAV header. */
export function pcmToWav(pcm: Buffer, sampleRate: number): Buffer {
  // A copy: a view needs an even offset, which a network buffer need not have.
  return wavFile(new Int16Array(new Uint8Array(pcm).buffer), sampleRate);
}
