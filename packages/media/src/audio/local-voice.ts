import type { AudioJobInput } from "@mcpmediaengine/contract";
import { type GeneratedFile, type Generator, untilAborted } from "../generator";
import { buildCues, toSrt, toWebVtt } from "./captions";
import { AUDIO_MIME_TYPES, encodeAudio } from "./encode-audio";
import { SPEECH_SAMPLE_RATE, type Speech, speak } from "./espeak";

export const LOCAL_VOICE_MODEL = "local-voice";

/** eSpeak's words per minute at speed 1: conversational for speech, a steadier narrator's pace for voiceover. */
const BASE_RATE = { speech: 175, voiceover: 160 } as const;
const SENTENCE_PAUSE_MS = { speech: 250, voiceover: 600 } as const;

/** Speech for an audio input (or a clip's narration): samples and word timings, before any encoding. */
export function synthesizeSpeech(
  input: Pick<AudioJobInput, "prompt" | "preset" | "voice" | "speed" | "pitch">,
  options: { signal?: AbortSignal; onProgress?: (fraction: number) => void } = {},
): Promise<Speech> {
  return speak(input.prompt, {
    voice: input.voice,
    rate: BASE_RATE[input.preset] * input.speed,
    pitch: Math.min(99, Math.round(50 * input.pitch)),
    sentencePauseMs: SENTENCE_PAUSE_MS[input.preset] / input.speed,
    signal: options.signal,
    onProgress: options.onProgress,
  });
}

/**
 * Our offline speech model: eSpeak NG voices, speed and pitch, encoded to WAV, MP3, Opus or AAC, with SRT and
 * WebVTT captions and the word timings themselves (JSON) stored beside the audio.
 */
export function createLocalVoiceGenerator(): Generator<"audio"> {
  return {
    model: LOCAL_VOICE_MODEL,
    type: "audio",
    provider: "local",
    generate: (input, { signal, onProgress }) =>
      untilAborted(signal, async (): Promise<GeneratedFile[]> => {
        const speech = await synthesizeSpeech(input, { signal, onProgress: (f) => onProgress?.(f * 0.8) });
        const audio = await encodeAudio(speech.samples, SPEECH_SAMPLE_RATE, input.format, signal);
        onProgress?.(0.95);
        const cues = buildCues(speech.words);
        return [
          {
            data: audio,
            mimeType: AUDIO_MIME_TYPES[input.format],
            extension: input.format,
            durationMs: speech.durationMs,
          },
          {
            data: Buffer.from(toSrt(cues)),
            mimeType: "application/x-subrip",
            extension: "srt",
            role: "captions",
          },
          { data: Buffer.from(toWebVtt(cues)), mimeType: "text/vtt", extension: "vtt", role: "captions" },
          // Every word with its start and end in milliseconds, for karaoke-style or custom captions.
          {
            data: Buffer.from(JSON.stringify({ words: speech.words })),
            mimeType: "application/json",
            extension: "json",
            role: "captions",
          },
        ];
      }),
  };
}
