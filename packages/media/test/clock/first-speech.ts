// Run in a fresh process by test/espeak-clock.test.ts: samples the main thread's clock, on every turn of the event
// loop and every millisecond, while the process speaks for the first time (eSpeak starting included), then prints
// what it saw and the speech's hash, and lets the process end by itself.
import { createHash } from "node:crypto";
import { synthesizeSpeech } from "../../src/audio/local-voice";

const original = Date.now;
let last = Date.now();
const seen = { samples: 0, zeros: 0, backwards: 0, replaced: false };
const sample = () => {
  if (Date.now !== original) seen.replaced = true;
  const now = Date.now();
  seen.samples++;
  if (now === 0) seen.zeros++;
  if (now < last) seen.backwards++;
  last = now;
};
const timer = setInterval(sample, 1);
let sampling = true;
const spin = () => {
  sample();
  if (sampling) setImmediate(spin);
};
spin();

const speech = await synthesizeSpeech({
  prompt: process.argv[2] ?? "",
  preset: "speech",
  voice: "en-gb-female",
  speed: 1,
  pitch: 1,
});
sampling = false;
clearInterval(timer);
sample();
const sha256 = createHash("sha256").update(speech.samples).digest("hex");
process.stdout.write(JSON.stringify({ ...seen, sha256 }));
