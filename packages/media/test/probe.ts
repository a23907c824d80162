import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
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
  const path = join(mkdtempSync(join(tmpdir(), "mme-probe-")), `file.${extension}`);
  writeFileSync(path, data);
  return JSON.parse(
    execFileSync(ffprobe, ["-v", "error", "-show_format", "-show_streams", "-of", "json", path]).toString(),
  ) as Probe;
}

/** Decodes every frame and sample; throws with ffmpeg's complaint if any is broken. */
export function decodeFully(data: Buffer, extension: string, ffmpeg: string): void {
  const path = join(mkdtempSync(join(tmpdir(), "mme-decode-")), `file.${extension}`);
  writeFileSync(path, data);
  execFileSync(ffmpeg, ["-v", "error", "-xerror", "-i", path, "-f", "null", "-"]);
}
