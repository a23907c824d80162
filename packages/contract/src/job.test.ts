import { describe, expect, test } from "vitest";
import { ImageJobRequest, isTerminalStatus, ListJobsRequest } from "./job";
import { findModel, imageCost } from "./models";

describe("ImageJobRequest", () => {
  test("accepts the smallest request and trims the prompt", () => {
    const parsed = ImageJobRequest.parse({ type: "image", prompt: "  a red fox  " });
    expect(parsed).toEqual({ type: "image", prompt: "a red fox" });
  });

  test.each([
    ["no prompt", { type: "image" }, "prompt"],
    ["an empty prompt", { type: "image", prompt: "   " }, "prompt"],
    ["a prompt too long", { type: "image", prompt: "x".repeat(4001) }, "prompt"],
    ["a width too small", { type: "image", prompt: "x", width: 10 }, "width"],
    ["a height too large", { type: "image", prompt: "x", height: 4096 }, "height"],
    ["a fractional width", { type: "image", prompt: "x", width: 100.5 }, "width"],
    ["an unknown preset", { type: "image", prompt: "x", preset: "poster" }, "preset"],
    ["an unknown format", { type: "image", prompt: "x", format: "gif" }, "format"],
    ["a negative seed", { type: "image", prompt: "x", seed: -1 }, "seed"],
    [
      "a webhook that is not http",
      { type: "image", prompt: "x", webhookUrl: "ftp://example.com/hook" },
      "webhookUrl",
    ],
    ["a webhook that is not a URL", { type: "image", prompt: "x", webhookUrl: "not a url" }, "webhookUrl"],
    [
      "too many metadata keys",
      {
        type: "image",
        prompt: "x",
        metadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])),
      },
      "metadata",
    ],
    ["a nested metadata value", { type: "image", prompt: "x", metadata: { a: { b: 1 } } }, "metadata"],
  ])("rejects %s", (_name, input, field) => {
    const result = ImageJobRequest.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path[0])).toContain(field);
  });

  test("rejects unknown fields", () => {
    const result = ImageJobRequest.safeParse({ type: "image", prompt: "x", colour: "red" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.code).toBe("unrecognized_keys");
  });
});

describe("ListJobsRequest", () => {
  test("coerces the limit from a query string and defaults it", () => {
    expect(ListJobsRequest.parse({ limit: "5" }).limit).toBe(5);
    expect(ListJobsRequest.parse({}).limit).toBe(20);
    expect(ListJobsRequest.safeParse({ limit: "500" }).success).toBe(false);
  });

  test("takes ISO times for the date filters", () => {
    expect(ListJobsRequest.safeParse({ createdAfter: "2026-01-01T00:00:00Z" }).success).toBe(true);
    expect(ListJobsRequest.safeParse({ createdAfter: "yesterday" }).success).toBe(false);
  });
});

test("terminal statuses are exactly completed, failed and canceled", () => {
  expect(
    ["queued", "processing", "completed", "failed", "canceled"].filter((s) => isTerminalStatus(s as never)),
  ).toEqual(["completed", "failed", "canceled"]);
});

test("image cost grows per started megapixel", () => {
  const model = findModel("gpt-image-2")!;
  expect(imageCost(model, 512, 512)).toBe(model.creditsPerMegapixel);
  expect(imageCost(model, 1024, 1024)).toBe(model.creditsPerMegapixel * 2);
  expect(imageCost(model, 2048, 2048)).toBe(model.creditsPerMegapixel * 5);
});
