import type { WordTiming } from "./espeak";

export interface Cue {
  startMs: number;
  endMs: number;
  words: WordTiming[];
  text: string;
}

/**
 * Words grouped into caption cues: a cue ends at a sentence's end or after `maxWords` words, and lasts until the
 * next cue starts (the last one until its last word ends).
 */
export function buildCues(words: WordTiming[], maxWords = 7): Cue[] {
  const groups: WordTiming[][] = [];
  let current: WordTiming[] = [];
  for (const word of words) {
    current.push(word);
    if (current.length >= maxWords || /[.!?]["')\]]*$/.test(word.word)) {
      groups.push(current);
      current = [];
    }
  }
  if (current.length > 0) groups.push(current);
  return groups.map((group) => ({
    startMs: group[0]!.startMs,
    endMs: group.at(-1)!.endMs,
    words: group,
    text: group.map((w) => w.word).join(" "),
  }));
}

export function toSrt(cues: Cue[]): string {
  return cues
    .map((cue, i) => `${i + 1}\n${clock(cue.startMs, ",")} --> ${clock(cue.endMs, ",")}\n${cue.text}\n`)
    .join("\n");
}

export function toWebVtt(cues: Cue[]): string {
  return `WEBVTT\n\n${cues.map((cue) => `${clock(cue.startMs, ".")} --> ${clock(cue.endMs, ".")}\n${cue.text}\n`).join("\n")}`;
}

function clock(ms: number, separator: "," | "."): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  return `${pad(h)}:${pad(m)}:${pad(s)}${separator}${pad(ms % 1000, 3)}`;
}
