import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Probe {
  format: { format_name: string; duration: string };
  streams: {
    codec_type: "video" | "audio";
    codec_name: string;
    width?: number;
    height?: number;
    sample_rate?: string;
    channels?: number;
    pix_fmt?: string;
    duration?: string;
    nb_frames?: string;
    r_frame_rate?: string;
  }[];
}

const ffprobe = (createRequire(import.meta.url)("@ffprobe-installer/ffprobe") as { path: string }).path;

/** What ffprobe (a separate build from the ffmpeg that encoded it) reads in a file. */
export function probe(data: Buffer, extension: string): Probe {
  return withFile(data, extension, (path) =>
    JSON.parse(
      execFileSync(ffprobe, ["-v", "error", "-show_format", "-show_streams", "-of", "json", path]).toString(),
    ),
  ) as Probe;
}

/** Decodes every frame and sample; throws with ffmpeg's complaint if any is broken. */
export function decodeFully(data: Buffer, extension: string, ffmpeg: string): void {
  withFile(data, extension, (path) =>
    execFileSync(ffmpeg, ["-v", "error", "-xerror", "-i", path, "-f", "null", "-"]),
  );
}

function withFile<T>(data: Buffer, extension: string, use: (path: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "mme-probe-"));
  try {
    const path = join(dir, `file.${extension}`);
    writeFileSync(path, data);
    return use(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** True while a process with this pid exists (a zombie counts: it has not been waited for). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
    throw error;
  }
}
