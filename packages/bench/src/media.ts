import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const CHILD = join(import.meta.dirname, "media-child.ts");
const TSX = join(import.meta.dirname, "..", "node_modules", "tsx", "dist", "cli.mjs");

export interface MediaFigure {
  wallMs: number;
  nodePeakMb: number;
  ffmpegPeakMb: number;
  audioMs?: number;
  /** The studio case: sharp's encode alone, per megapixel. */
  encodeMs?: number;
}

async function once(name: string, ...args: string[]): Promise<MediaFigure> {
  const { stdout } = await run(process.execPath, [TSX, CHILD, name, ...args], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as MediaFigure;
}

/** The median of `rounds` runs of each case, alternating, each in a process of its own. */
export async function benchMedia(options: { rounds: number }) {
  const samples: Record<string, MediaFigure[]> = {};
  const cases: [string, string, string[]][] = [
    ["clip", "clip", ["5"]],
    ["ffmpeg", "ffmpeg", []],
    ["clip15", "clip", ["15"]],
    ["voiceover", "voiceover", []],
    ["voiceover-encode", "voiceover-encode", []],
    ["studio", "studio", []],
  ];
  for (const [name] of cases) samples[name] = [];
  for (let round = 0; round < options.rounds; round++)
    for (const [name, child, args] of cases) samples[name]!.push(await once(child, ...args));
  const median = (name: string): MediaFigure => {
    const sorted = [...samples[name]!].sort((a, b) => a.wallMs - b.wallMs);
    return sorted[Math.floor(sorted.length / 2)]!;
  };
  return {
    clip: median("clip"),
    ffmpeg: median("ffmpeg"),
    clip15: median("clip15"),
    voiceover: median("voiceover"),
    voiceoverEncode: median("voiceover-encode"),
    studio: median("studio"),
  };
}
