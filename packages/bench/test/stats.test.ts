import { describe, expect, it } from "vitest";
import { aimMet, formatTable, percentile, ratio } from "../src/stats";

describe("percentile", () => {
  it("takes the nearest rank of the sorted samples", () => {
    const samples = [9, 1, 8, 2, 7, 3, 6, 4, 5, 10];
    expect(percentile(samples, 0.5)).toBe(5);
    expect(percentile(samples, 0.9)).toBe(9);
    expect(percentile(samples, 0.99)).toBe(10);
    expect(percentile(samples, 0)).toBe(1);
    expect(percentile([42], 0.5)).toBe(42);
  });

  it("refuses an empty sample", () => {
    expect(() => percentile([], 0.5)).toThrow("no samples");
  });
});

describe("aims", () => {
  const row = { metric: "m", unit: "ms", better: "lower" as const };
  it("checks a ratio floor and an absolute ceiling", () => {
    expect(ratio({ ours: 600, baseline: 1000 })).toBeCloseTo(0.6);
    expect(aimMet({ ...row, ours: 600, baseline: 1000, aim: { ratioAtLeast: 0.5 } })).toBe(true);
    expect(aimMet({ ...row, ours: 400, baseline: 1000, aim: { ratioAtLeast: 0.5 } })).toBe(false);
    expect(aimMet({ ...row, ours: 12, baseline: 3, aim: { oursBelow: 10 } })).toBe(false);
    expect(aimMet({ ...row, ours: 1, baseline: 3 })).toBeUndefined();
  });

  it("prints each figure beside its baseline, with the ratio and whether the aim was met", () => {
    const table = formatTable([{ ...row, metric: "latency", ours: 4, baseline: 2, aim: { oursBelow: 10 } }]);
    expect(table).toMatch(/latency\s+4\.00 ms\s+2\.00 ms\s+2\.00\s+< 10 ms met/);
  });
});
