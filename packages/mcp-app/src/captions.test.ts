import { expect, test } from "vitest";
import { parseCaptions } from "./captions";

test("reads WebVTT cues, settings after the end time included", () => {
  const vtt =
    "WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.500 align:start\nHello there.\n\n00:01:02.250 --> 00:01:04.000\nTwo\nlines.\n";
  expect(parseCaptions(vtt)).toEqual([
    { start: 0, end: 1.5, text: "Hello there." },
    { start: 62.25, end: 64, text: "Two lines." },
  ]);
});

test("reads SRT cues, with commas before the milliseconds and CRLF lines", () => {
  const srt =
    "1\r\n00:00:01,000 --> 00:00:02,000\r\nFirst.\r\n\r\n2\r\n00:00:02,000 --> 00:00:03,500\r\nSecond.\r\n";
  expect(parseCaptions(srt)).toEqual([
    { start: 1, end: 2, text: "First." },
    { start: 2, end: 3.5, text: "Second." },
  ]);
});
