import type { VideoJobInput } from "@mcpmediaengine/contract";
import type { GeneratedFile } from "../generator";

/** A finished clip as a video job's files: the MP4, then its poster. */
export function clipFiles(video: Buffer, poster: Buffer, input: VideoJobInput): GeneratedFile[] {
  const size = { width: input.width, height: input.height };
  return [
    {
      data: video,
      mimeType: "video/mp4",
      extension: "mp4",
      ...size,
      durationMs: input.durationSeconds * 1000,
    },
    { data: poster, mimeType: "image/png", extension: "png", ...size, role: "poster" },
  ];
}
