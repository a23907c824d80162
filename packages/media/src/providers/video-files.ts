import type { GeneratedFile } from "../generator";
import { malformed } from "./http";

/** A provider's video typed from its bytes: ISO BMFF (MP4, QuickTime) or Matroska (WebM). */
export function describeVideo(data: Buffer, provider: string): GeneratedFile {
  if (data.length >= 12 && data.subarray(4, 8).toString("latin1") === "ftyp") {
    const brand = data.subarray(8, 12).toString("latin1");
    return brand === "qt  "
      ? { data, mimeType: "video/quicktime", extension: "mov" }
      : { data, mimeType: "video/mp4", extension: "mp4" };
  }
  if (data.length >= 4 && data.readUInt32BE(0) === 0x1a45dfa3) {
    return { data, mimeType: "video/webm", extension: "webm" };
  }
  throw malformed(provider, "the video is neither MP4 nor WebM");
}
