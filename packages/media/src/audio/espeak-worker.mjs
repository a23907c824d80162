// eSpeak NG in a thread of its own (started by espeak-thread.ts): one sentence per message, answered with its
// samples and eSpeak's events. Plain JavaScript so that it runs as is from the sources (tsx, vitest) and beside
// the bundled CLI (apps/server's tsup config copies it next to dist/cli.js).
import { parentPort, workerData } from "node:worker_threads";

// The process's stdout may be the MCP protocol channel: whatever the engine prints goes to stderr. (A worker's own
// stdout stream, read in the main thread, would keep the process alive.)
console.log = console.error;

const { voices } = workerData;
const port = parentPort;

/**
 * The engine, started once per thread. eSpeak draws on the C library's rand() (voice jitter), whose state lives
 * in the module's memory and moves on with every synthesis: so a copy of that memory is taken after start-up and
 * put back before each sentence, and the same sentence then always gives the same samples, whatever was spoken
 * before and in whichever thread or process.
 */
async function start() {
  // Loaded by name: bundles leave it outside, next to its data file.
  const { default: init } = await import("@echogarden/espeak-ng-emscripten");
  // eSpeak seeds rand() from the clock when it starts: a fixed clock while it does makes every start the same.
  // This is the thread's own clock; the rest of the process never sees it.
  const now = Date.now;
  Date.now = () => 0;
  try {
    const module = await init();
    const engine = new module.eSpeakNGWorker();
    // The first synthesis with a voice loads tables that later ones reuse: do that for every voice before the
    // copy is taken, so the first sentence is spoken exactly as the hundredth.
    for (const voice of voices) {
      engine.set_voice(voice);
      engine.synthesize("Ready.", () => undefined);
    }
    const snapshot = Uint8Array.from(module.HEAPU8);
    return { engine, reset: () => module.HEAPU8.set(snapshot) };
  } finally {
    Date.now = now;
  }
}

const started = start();

// One sentence a message: { id, text (SSML-escaped), voice, rate, pitch } → { id, samples, events } or { id, error }.
port.on("message", async ({ id, text, voice, rate, pitch }) => {
  try {
    const { engine, reset } = await started;
    // The engine survives one synthesis per reset (a second one finds stale function pointers).
    reset();
    if (engine.set_voice(voice) !== 0) throw new Error(`eSpeak has no voice "${voice}".`);
    engine.set_rate(rate);
    engine.set_pitch(pitch);
    const chunks = [];
    const events = [];
    engine.synthesize(text, (samples, batch) => {
      // The engine reuses its buffer: keep a copy.
      if (samples && samples.length > 0) chunks.push(Int16Array.from(samples));
      // Plain objects, so they cross to the main thread whatever the engine's own are.
      for (const e of batch) {
        events.push({ type: e.type, audio_position: e.audio_position, text_position: e.text_position });
      }
    });
    const samples = new Int16Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const chunk of chunks) {
      samples.set(chunk, at);
      at += chunk.length;
    }
    port.postMessage({ id, samples, events }, [samples.buffer]);
  } catch (error) {
    port.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
