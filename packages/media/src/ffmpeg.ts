import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, chmodSync, constants } from "node:fs";
import { createRequire } from "node:module";
import type { Writable } from "node:stream";
import { GenerationAbortedError } from "./generator";

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

// The ffmpeg processes running now; tests look here to prove an abort leaves none behind.
const running = new Set<ChildProcess>();

/** The pids of the ffmpeg processes this process runs now. */
export function runningFfmpegPids(): number[] {
  return [...running].flatMap((child) => (child.pid === undefined ? [] : [child.pid]));
}

/**
 * Runs ffmpeg; `feed` writes its stdin (respecting backpressure) and ends it. Resolves with stdout. A failure
 * carries the end of ffmpeg's stderr.
 *
 * Aborting the signal stops the feed and kills ffmpeg with SIGKILL at once: its output is thrown away, and a
 * gentler SIGTERM would make it finish the file first (the MP4 index, the faststart rewrite) or wait on a pipe.
 * Whatever happens, the promise settles only after ffmpeg has exited and the feed has returned, so nothing of
 * the job still runs when it does.
 */
export function runFfmpeg(
  args: string[],
  options: {
    signal?: AbortSignal;
    feed?: (stdin: Writable) => Promise<void>;
    onPid?: (pid: number) => void;
  } = {},
): Promise<Buffer> {
  const { signal, feed } = options;
  if (signal?.aborted) return Promise.reject(GenerationAbortedError.from(signal));
  const child = spawn(ffmpegPath(), ["-hide_banner", "-loglevel", "error", "-nostdin", ...args], {
    stdio: [feed ? "pipe" : "ignore", "pipe", "pipe"],
  });
  running.add(child);
  if (child.pid) options.onPid?.(child.pid);
  const out: Buffer[] = [];
  let err = "";
  child.stdout?.on("data", (chunk: Buffer) => out.push(chunk));
  child.stderr?.on("data", (chunk: Buffer) => {
    err = (err + chunk.toString()).slice(-2000);
  });
  let feedError: unknown;
  const stop = () => {
    child.stdin?.destroy();
    child.kill("SIGKILL");
  };
  const onAbort = () => stop();
  signal?.addEventListener("abort", onAbort, { once: true });

  const exited = new Promise<{ code: number | null; killedBy: NodeJS.Signals | null; error?: Error }>(
    (resolve) => {
      child.once("close", (code, killedBy) => resolve({ code, killedBy }));
      child.on("error", (error) => {
        // Spawning failed (no 'close' follows), or a kill did: only the first ends the run here.
        if (child.pid === undefined) resolve({ code: null, killedBy: null, error });
      });
    },
  );
  const fed = (async () => {
    if (!feed || !child.stdin) return;
    const stdin = child.stdin;
    // A write after ffmpeg exited (it failed, or was killed) raises EPIPE here; the exit says why.
    stdin.on("error", () => undefined);
    try {
      await feed(stdin);
      stdin.end();
    } catch (error) {
      feedError = error;
      stop();
    }
  })();

  return Promise.all([exited, fed]).then(([exit]) => {
    signal?.removeEventListener("abort", onAbort);
    running.delete(child);
    if (signal?.aborted) throw GenerationAbortedError.from(signal);
    if (exit.error) throw exit.error;
    // ffmpeg failing on its own explains any broken pipe the feed met.
    if (exit.code !== null && exit.code !== 0)
      throw new Error(`ffmpeg exited with ${exit.code}: ${err.trim()}`);
    // ffmpeg may finish (at -t, say) before it has read the last frames: the pipe it closed is no failure.
    if (feedError !== undefined && !(exit.code === 0 && isClosedPipe(feedError))) throw feedError;
    if (exit.code !== 0) throw new Error(`ffmpeg was killed (${exit.killedBy}): ${err.trim()}`);
    return Buffer.concat(out);
  });
}

const CLOSED_PIPE_CODES = new Set(["EPIPE", "ERR_STREAM_DESTROYED", "ERR_STREAM_WRITE_AFTER_END"]);

function isClosedPipe(error: unknown): boolean {
  return CLOSED_PIPE_CODES.has((error as NodeJS.ErrnoException | undefined)?.code ?? "");
}

function closedPipe(message: string): Error {
  return Object.assign(new Error(message), { code: "EPIPE" });
}

/**
 * Writes a chunk, waiting for the pipe to drain when it is full: memory stays flat however much is written. A
 * pipe closed meanwhile (ffmpeg exited or was killed) rejects rather than waiting forever.
 */
export async function writeChunk(stream: Writable, chunk: Uint8Array): Promise<void> {
  if (stream.destroyed) throw closedPipe("the pipe is closed");
  if (stream.write(chunk)) return;
  await new Promise<void>((resolve, reject) => {
    const done = (error?: Error) => {
      stream.off("drain", onDrain);
      stream.off("error", onError);
      stream.off("close", onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => done();
    const onError = (error: Error) => done(error);
    const onClose = () => done(closedPipe("the pipe closed before it drained"));
    stream.once("drain", onDrain);
    stream.once("error", onError);
    stream.once("close", onClose);
  });
}
