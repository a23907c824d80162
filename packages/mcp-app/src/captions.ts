/** One caption line and when it is spoken, in seconds. */
export interface Cue {
  start: number;
  end: number;
  text: string;
}

function seconds(stamp: string): number {
  const parts = stamp.trim().replace(",", ".").split(":").map(Number);
  return parts.reduce((total, part) => total * 60 + part, 0);
}

/** The cues of a WebVTT or SRT file (both are "start --> end" then text lines, blocks apart by a blank line). */
export function parseCaptions(text: string): Cue[] {
  const cues: Cue[] = [];
  for (const block of text.replace(/\r/g, "").split(/\n\n+/)) {
    const lines = block.split("\n");
    const at = lines.findIndex((line) => line.includes("-->"));
    if (at < 0) continue;
    const [start, end] = lines[at]!.split("-->");
    const words = lines
      .slice(at + 1)
      .join(" ")
      .trim();
    if (start && end && words)
      cues.push({ start: seconds(start), end: seconds(end.trim().split(/\s+/)[0] ?? end), text: words });
  }
  return cues;
}
