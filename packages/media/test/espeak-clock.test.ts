import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { expect, test } from "vitest";
import { synthesizeSpeech } from "../src/audio/local-voice";

const TEXT = "The clock keeps running. Nobody else waits for the voice.";

/** Runs test/clock/first-speech.ts in a new Node process and returns what it printed once it exited. */
function firstSpeechInFreshProcess(): Promise<{
  samples: number;
  zeros: number;
  backwards: number;
  replaced: boolean;
  sha256: string;
}> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(import.meta.dirname, "clock/first-speech.ts"), TEXT],
      {
        cwd: join(import.meta.dirname, ".."),
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("error", reject);
    // It must end by itself: eSpeak's idle thread does not keep a process alive.
    child.on("exit", (code) => {
      if (code === 0) resolve(JSON.parse(out));
      else reject(new Error(`the child exited with ${code}: ${err}`));
    });
  });
}

test("the first speech of a process never touches the main thread's clock, and speaks as any other process does", async () => {
  const seen = await firstSpeechInFreshProcess();
  // The sampler ran all through eSpeak's start and the synthesis.
  expect(seen.samples).toBeGreaterThan(10);
  expect(seen).toMatchObject({ zeros: 0, backwards: 0, replaced: false });
  const here = await synthesizeSpeech({
    prompt: TEXT,
    preset: "speech",
    voice: "en-gb-female",
    speed: 1,
    pitch: 1,
  });
  expect(createHash("sha256").update(here.samples).digest("hex")).toBe(seen.sha256);
});
