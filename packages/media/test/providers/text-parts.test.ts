import { describe, expect, test } from "vitest";
import { splitText } from "../../src/providers/text-parts";

// What a listener hears: the words in order, whatever whitespace stood between the parts.
const words = (text: string) => text.split(/\s+/).filter(Boolean);

describe("splitText", () => {
  test("a text within the limit is one part, as given", () => {
    expect(splitText("  Hello there.  ", 16)).toEqual(["  Hello there.  "]);
  });

  test("cuts at sentence ends when whole sentences fit", () => {
    const text = "One two three. Four five six? Seven eight! Nine.";
    const parts = splitText(text, 29);
    expect(parts).toEqual(["One two three.", "Four five six? Seven eight!", "Nine."]);
  });

  test("a sentence longer than the limit is cut between words", () => {
    const text = `Short one. Long ${"word ".repeat(30).trim()} end. Last.`;
    const parts = splitText(text, 40);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(40);
      expect(
        part.split(" ").every((w) => ["Short", "one.", "Long", "word", "end.", "Last."].includes(w)),
      ).toBe(true);
    }
    expect(parts[0]).toBe("Short one.");
    expect(words(parts.join(" "))).toEqual(words(text));
  });

  test("a word longer than the limit is cut by characters, never inside one", () => {
    const text = `${"😀".repeat(7)}abc`; // 17 UTF-16 units
    const parts = splitText(text, 4);
    expect(parts.every((p) => p.length <= 4)).toBe(true);
    expect(parts.join("")).toBe(text);
    // No lone surrogate: every part is whole characters.
    expect(
      parts.every((p) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(p)),
    ).toBe(true);
  });

  test("5,000 characters of prose become parts of at most 4,096 that hold the text in order", () => {
    const text = Array.from({ length: 200 }, (_, i) => `Sentence number ${i} is spoken here.`).join(" ");
    const parts = splitText(text.slice(0, 5000), 4096);
    expect(parts).toHaveLength(2);
    expect(parts[0]!.length).toBeLessThanOrEqual(4096);
    expect(parts[0]).toMatch(/\.$/);
    expect(words(parts.join(" "))).toEqual(words(text.slice(0, 5000)));
  });
});
