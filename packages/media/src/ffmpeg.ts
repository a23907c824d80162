import { spawn } from "node:child_process";
import { accessSync, chmodSync, constants } from "node:fs";
import { createRequire } from "node:module";
import type { Writable } from "node:stream";

let resolved: string | undefined;

/**
 * The ffmpeg that ships inside @ffmpeg-installer (static, with libx264, libmp3lame, libopus and AAC). Package
 * managers that skip install scripts (pnpm 10, npm 11 without approval) leave it without its execute bit: it is
 * set here instead.
 */
export function ffmpegPath(): string {
  if (resolved) return resolved;
  const path = (createRequire(import.meta.url)("@ffmpeg-installer/ffmpeg") as { path: string }).path;
  try {
    accessSync(path, constants.X_OK);
  } catch {
    chmodSync(path, 0o755);
  }
  resolved = path;
  return path;
}

/** Output flags that keep ffmpeg's files free of its version and of timestamps, so the same input gives the same bytes. */
export const BITEXACT = [
  "-fflags",
  "+bitexact",
  "-flags:v",
  "+bitexact",
  "-flags:a",
  "+bitexact",
  "-map_metadata",
  "-1",
];

/**
 * Runs ffmpeg; `feed` writes its stdin (respecting backpressure) and ends it. Resolves with stdout. Aborting the
 * signal kills ffmpeg. A failure carries the end of ffmpeg's stderr.
 */
export function runFfmpeg(
  args: string[],
  options: {
    signal?: AbortSignal;
    feed?: (stdin: Writable) => Promise<void>;
    onPid?: (pid: number) => void;
  } = {},
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegPath(), ["-hide_banner", "-loglevel", "error", "-nostdin", ...args], {
      stdio: [options.feed ? "pipe" : "ignore", "pipe", "pipe"],
      signal: options.signal,
    });
    if (child.pid) options.onPid?.(child.pid);
    const out: Buffer[] = [];
    let err = "";
    child.stdout?.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => {
      err = (err + chunk.toString()).slice(-2000);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new Error(`ffmpeg exited with ${code}: ${err.trim()}`));
    });
    if (options.feed && child.stdin) {
      const stdin = child.stdin;
      // A write after ffmpeg exited (it failed) raises EPIPE here; the close handler reports the real reason.
      stdin.on("error", () => undefined);
      options.feed(stdin).then(
        () => stdin.end(),
        (error: unknown) => {
          child.kill("SIGKILL");
          reject(error);
        },
      );
    }
  });
}

/** Writes a chunk, waiting for the pipe to drain when it is full: memory stays flat however much is written. */
export async function writeChunk(stream: Writable, chunk: Uint8Array): Promise<void> {
  if (stream.write(chunk)) return;
  await new Promise<void>((resolve, reject) => {
    const onDrain = () => {
      stream.off("error", onError);
      resolve();
    };
    const onError = (error: Error) => {
      stream.off("drain", onDrain);
      reject(error);
    };
    stream.once("drain", onDrain);
    stream.once("error", onError);
  });
}
