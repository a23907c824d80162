import { throwIfAborted } from "../generator";
import { type EspeakEvent, EspeakThread } from "./espeak-thread";

/** eSpeak NG's own sample rate. */
export const SPEECH_SAMPLE_RATE = 22050;

/** One spoken word and when it starts and ends in the audio, in milliseconds. */
export interface WordTiming {
  word: string;
  startMs: number;
  endMs: number;
}

export interface Speech {
  /** Mono 16-bit samples at SPEECH_SAMPLE_RATE. */
  samples: Int16Array;
  words: WordTiming[];
  durationMs: number;
}

/** Our voice names and the eSpeak voice (and variant) each one is. */
export const ESPEAK_VOICES: Record<string, string> = {
  "en-us-female": "en-us+f3",
  "en-us-male": "en-us",
  "en-gb-female": "en-gb-x-rp+f3",
  "en-gb-male": "en-gb-x-rp",
};

// Started on the first sentence, shared by every job of the process.
const thread = new EspeakThread(Object.values(ESPEAK_VOICES));

/** The id of eSpeak's thread while it runs (undefined before the first sentence and after an abort); for tests. */
export function espeakThreadId(): number | undefined {
  return thread.threadId;
}

export interface SpeakOptions {
  voice: string;
  /** Words per minute. */
  rate: number;
  /** eSpeak's pitch, 0 to 99 (50 is the voice's own). */
  pitch: number;
  /** Silence after each sentence, in milliseconds (narration breathes between sentences). */
  sentencePauseMs: number;
  signal?: AbortSignal;
  /** Fraction of the sentences spoken so far. */
  onProgress?: (fraction: number) => void;
}

/**
 * Speaks text with eSpeak NG, a sentence at a time, in eSpeak's own thread (see EspeakThread): the event loop
 * stays free, and an abort stops the speech between sentences or, mid-sentence, by ending the thread; the
 * promise settles once it has stopped. Deterministic: the same text and options give the same samples, whatever
 * was spoken before, in this process or any other.
 */
export async function speak(text: string, options: SpeakOptions): Promise<Speech> {
  const { signal } = options;
  throwIfAborted(signal);
  const voice = ESPEAK_VOICES[options.voice];
  if (!voice) throw new Error(`Unknown local voice "${options.voice}".`);
  const sentences = splitSentences(text);
  const chunks: Int16Array[] = [];
  const words: WordTiming[] = [];
  let offsetSamples = 0;
  const pauseSamples = Math.round((options.sentencePauseMs / 1000) * SPEECH_SAMPLE_RATE);
  for (const [index, sentence] of sentences.entries()) {
    const { samples: sentenceSamples, events } = await thread.speak(
      {
        text: escapeSsml(sentence),
        voice,
        rate: Math.round(options.rate),
        pitch: Math.round(options.pitch),
      },
      signal,
    );
    const offsetMs = (offsetSamples / SPEECH_SAMPLE_RATE) * 1000;
    const sentenceMs = (sentenceSamples.length / SPEECH_SAMPLE_RATE) * 1000;
    words.push(...timeTokens(sentence, events, offsetMs, sentenceMs));
    chunks.push(sentenceSamples);
    offsetSamples += sentenceSamples.length;
    if (index < sentences.length - 1 && pauseSamples > 0) {
      chunks.push(new Int16Array(pauseSamples));
      offsetSamples += pauseSamples;
    }
    throwIfAborted(signal);
    options.onProgress?.((index + 1) / sentences.length);
  }
  const samples = concat(chunks);
  return { samples, words, durationMs: Math.round((samples.length / SPEECH_SAMPLE_RATE) * 1000) };
}

/** Sentences, each with its closing punctuation; text without any is one sentence. */
export function splitSentences(text: string): string[] {
  const parts = text.match(/[^.!?]+[.!?]+["')\]]*|[^.!?]+$/g) ?? [text];
  return parts.map((s) => s.trim()).filter((s) => s.length > 0);
}

function concat(chunks: Int16Array[]): Int16Array {
  const out = new Int16Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

// The engine reads SSML: text that looks like markup must be spoken, not obeyed.
function escapeSsml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/**
 * The sentence's words as written (punctuation kept, for captions), each starting when eSpeak started the first
 * of its own words inside it (it splits "e-mail" or "<b>" differently from whitespace). A written word eSpeak
 * spoke nothing for starts when the one before it does.
 */
function timeTokens(
  sentence: string,
  events: EspeakEvent[],
  offsetMs: number,
  sentenceMs: number,
): WordTiming[] {
  const tokens = [...sentence.matchAll(/\S+/g)].map((m) => ({
    word: m[0],
    from: m.index,
    to: m.index + m[0].length,
    startMs: undefined as number | undefined,
  }));
  // Event positions count characters of the escaped text, from 1.
  const original: number[] = [];
  for (const [i, char] of [...sentence].entries()) for (const _ of escapeSsml(char)) original.push(i);
  for (const event of events) {
    if (event.type !== "word") continue;
    const at = original[event.text_position - 1];
    const token = tokens.find((t) => at !== undefined && at >= t.from && at < t.to);
    if (token && token.startMs === undefined) token.startMs = event.audio_position;
  }
  let previous = 0;
  const starts = tokens.map((t) => (previous = t.startMs ?? previous));
  return tokens.map((t, i) => ({
    word: t.word,
    startMs: Math.round(offsetMs + starts[i]!),
    endMs: Math.round(offsetMs + (starts[i + 1] ?? sentenceMs)),
  }));
}
