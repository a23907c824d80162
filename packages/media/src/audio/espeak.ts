import { setImmediate as yieldToLoop } from "node:timers/promises";

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

interface EspeakEvent {
  type: string;
  audio_position: number;
  text_position: number;
  word_length: number;
}

interface EspeakWorker {
  set_voice(voice: string): number;
  set_rate(wordsPerMinute: number): void;
  set_pitch(pitch: number): void;
  synthesize(text: string, callback: (samples: Int16Array | undefined, events: EspeakEvent[]) => void): void;
}

interface Espeak {
  worker: EspeakWorker;
  /** Puts the engine back as it was just after start-up. */
  reset(): void;
}

let engine: Promise<Espeak> | undefined;
const ESPEAK_PACKAGE: string = "@echogarden/espeak-ng-emscripten";

/**
 * The engine, started once. eSpeak draws on the C library's rand() (voice jitter), whose state lives in the
 * module's memory and moves on with every synthesis: so a copy of that memory is taken after start-up and put
 * back before each sentence, and the same text then always gives the same samples, whatever was spoken before.
 */
function espeak(): Promise<Espeak> {
  engine ??= (async () => {
    // Loaded by name at run time: the package ships no types (this file describes what it uses), and bundles
    // leave it outside, next to its data file.
    const { default: init } = (await import(ESPEAK_PACKAGE)) as {
      default: () => Promise<{ eSpeakNGWorker: new () => EspeakWorker; HEAPU8: Uint8Array }>;
    };
    // eSpeak seeds rand() from the clock when it starts: a fixed clock while it does makes every process the same.
    const now = Date.now;
    Date.now = () => 0;
    let module: { eSpeakNGWorker: new () => EspeakWorker; HEAPU8: Uint8Array };
    let worker: EspeakWorker;
    try {
      module = await init();
      worker = new module.eSpeakNGWorker();
      // The first synthesis with a voice loads tables that later ones reuse: do that for every voice before the
      // copy is taken, so the first job speaks exactly as the hundredth.
      for (const voice of Object.values(ESPEAK_VOICES)) {
        worker.set_voice(voice);
        worker.synthesize("Ready.", () => undefined);
      }
    } finally {
      Date.now = now;
    }
    const snapshot = Uint8Array.from(module.HEAPU8);
    return { worker, reset: () => module.HEAPU8.set(snapshot) };
  })();
  return engine;
}

// One text at a time: a text is spoken over several turns of the event loop, and another in between would move
// the engine's state.
let turn: Promise<unknown> = Promise.resolve();

/** Our voice names and the eSpeak voice (and variant) each one is. */
export const ESPEAK_VOICES: Record<string, string> = {
  "en-us-female": "en-us+f3",
  "en-us-male": "en-us",
  "en-gb-female": "en-gb-x-rp+f3",
  "en-gb-male": "en-gb-x-rp",
};

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
 * Speaks text with eSpeak NG, a sentence at a time: the engine is synchronous WebAssembly, so the event loop gets
 * a turn between sentences (other jobs, heartbeats and cancellation keep working on long texts). Deterministic:
 * the same text and options give the same samples.
 */
export function speak(text: string, options: SpeakOptions): Promise<Speech> {
  const result = turn.then(() => speakNow(text, options));
  turn = result.catch(() => undefined);
  return result;
}

async function speakNow(text: string, options: SpeakOptions): Promise<Speech> {
  const { worker: engine, reset } = await espeak();
  const voice = ESPEAK_VOICES[options.voice];
  if (!voice) throw new Error(`Unknown local voice "${options.voice}".`);
  // The engine survives one synthesis per reset (a second one after a reset finds stale function pointers), so
  // each sentence starts from the state just after start-up, which also makes it independent of what came before.
  const prepare = () => {
    reset();
    if (engine.set_voice(voice) !== 0) throw new Error(`eSpeak has no voice "${voice}".`);
    engine.set_rate(Math.round(options.rate));
    engine.set_pitch(Math.round(options.pitch));
  };
  const sentences = splitSentences(text);
  const chunks: Int16Array[] = [];
  const words: WordTiming[] = [];
  let offsetSamples = 0;
  const pauseSamples = Math.round((options.sentencePauseMs / 1000) * SPEECH_SAMPLE_RATE);
  for (const [index, sentence] of sentences.entries()) {
    options.signal?.throwIfAborted();
    const sentenceChunks: Int16Array[] = [];
    const events: EspeakEvent[] = [];
    prepare();
    engine.synthesize(escapeSsml(sentence), (samples, batch) => {
      // The engine reuses its buffer: keep a copy.
      if (samples && samples.length > 0) sentenceChunks.push(Int16Array.from(samples));
      events.push(...batch);
    });
    const sentenceSamples = concat(sentenceChunks);
    const offsetMs = (offsetSamples / SPEECH_SAMPLE_RATE) * 1000;
    const sentenceMs = (sentenceSamples.length / SPEECH_SAMPLE_RATE) * 1000;
    words.push(...timeTokens(sentence, events, offsetMs, sentenceMs));
    chunks.push(sentenceSamples);
    offsetSamples += sentenceSamples.length;
    if (index < sentences.length - 1 && pauseSamples > 0) {
      chunks.push(new Int16Array(pauseSamples));
      offsetSamples += pauseSamples;
    }
    options.onProgress?.((index + 1) / sentences.length);
    await yieldToLoop();
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
