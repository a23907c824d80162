/** The value below which the given fraction of samples fall (nearest rank on the sorted samples). */
export function percentile(samples: readonly number[], fraction: number): number {
  if (samples.length === 0) throw new Error("no samples");
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank] as number;
}

export interface Row {
  metric: string;
  ours: number;
  baseline: number;
  unit: string;
  /** What "good" means: a higher ratio (throughput) or a lower one (latency). */
  better: "higher" | "lower";
  aim?: { ratioAtLeast?: number; ratioAtMost?: number; oursBelow?: number };
}

/** Ours divided by the baseline, measured in the same run. */
export function ratio(row: Pick<Row, "ours" | "baseline">): number {
  return row.ours / row.baseline;
}

export function aimMet(row: Row): boolean | undefined {
  if (!row.aim) return undefined;
  if (row.aim.ratioAtLeast !== undefined && ratio(row) < row.aim.ratioAtLeast) return false;
  if (row.aim.ratioAtMost !== undefined && ratio(row) > row.aim.ratioAtMost) return false;
  if (row.aim.oursBelow !== undefined && row.ours >= row.aim.oursBelow) return false;
  return true;
}

export function formatTable(rows: readonly Row[]): string {
  const cells = rows.map((row) => {
    const met = aimMet(row);
    const aim = row.aim ? `${aimText(row)} ${met ? "met" : "MISSED"}` : "";
    return [row.metric, fmt(row.ours, row.unit), fmt(row.baseline, row.unit), ratio(row).toFixed(2), aim];
  });
  const header = ["metric", "ours", "baseline", "ratio", "aim"];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (c: string[]) =>
    c.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

function fmt(value: number, unit: string): string {
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(2)} ${unit}`;
}

function aimText(row: Row): string {
  if (row.aim?.ratioAtLeast !== undefined) return `ratio ≥ ${row.aim.ratioAtLeast}`;
  if (row.aim?.ratioAtMost !== undefined) return `ratio ≤ ${row.aim.ratioAtMost}`;
  return `< ${row.aim?.oursBelow} ${row.unit}`;
}
