import { describe, expect, test } from "vitest";
import { idSchema, isId, newId } from "./ids";

describe("ids", () => {
  test("carry their kind's prefix and a 24-character body", () => {
    expect(newId("job")).toMatch(/^job_[0-9a-hjkmnp-tv-z]{24}$/);
    expect(newId("asset")).toMatch(/^ast_/);
    expect(newId("apiKey")).toMatch(/^key_/);
  });

  test("sort by creation time", () => {
    const earlier = newId("job", Date.UTC(2026, 0, 1));
    const later = newId("job", Date.UTC(2026, 0, 1, 0, 0, 0, 1));
    expect(earlier < later).toBe(true);
  });

  test("are unique", () => {
    const ids = new Set(Array.from({ length: 5000 }, () => newId("job", 0)));
    expect(ids.size).toBe(5000);
  });

  test("are validated by kind", () => {
    const jobId = newId("job");
    expect(isId("job", jobId)).toBe(true);
    expect(isId("asset", jobId)).toBe(false);
    expect(idSchema("job", "A job.").safeParse(jobId).success).toBe(true);
    expect(idSchema("job", "A job.").safeParse(jobId.replace("job_", "bat_")).success).toBe(false);
    expect(idSchema("job", "A job.").safeParse(`${jobId}x`).success).toBe(false);
  });
});
