// The same text splits the same way on every machine: the locale is fixed, not the process's.
const sentences = new Intl.Segmenter("en", { granularity: "sentence" });

/**
 * Splits a text longer than `max` characters into parts of at most `max`, in order: at sentence ends where a
 * part can hold whole sentences, else between words, and a word longer than `max` (no spaces at all) by
 * characters. The parts are trimmed, so only the whitespace between them is lost.
 */
export function splitText(text: string, max: number): string[] {
  if (text.length <= max) return [text];
  const parts: string[] = [];
  let part = "";
  const flush = () => {
    if (part.trim()) parts.push(part.trim());
    part = "";
  };
  const add = (piece: string) => {
    if (part.length + piece.length > max) flush();
    part += piece;
  };
  for (const { segment } of sentences.segment(text)) {
    if (segment.length <= max) {
      add(segment);
      continue;
    }
    // A sentence that fits in no part starts its own, so that only it is cut.
    flush();
    for (const word of segment.split(/(?<=\s)/)) {
      if (word.length <= max) add(word);
      else for (const piece of slices(word, max)) add(piece);
    }
  }
  flush();
  return parts;
}

/** A string cut into pieces of at most `max` UTF-16 units, never inside a character. */
function slices(text: string, max: number): string[] {
  const pieces: string[] = [];
  let piece = "";
  for (const character of text) {
    if (piece.length + character.length > max) {
      pieces.push(piece);
      piece = "";
    }
    piece += character;
  }
  if (piece) pieces.push(piece);
  return pieces;
}
