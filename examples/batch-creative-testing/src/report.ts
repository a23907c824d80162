import { type Batch, isImageJob, type Job } from "@mcpmediaengine/sdk";

/** The variants as a table: what each one tried, how it ended, what it cost, and where its file is. */
export function variantTable(batch: Batch, jobs: Job[]): string {
  const rows = jobs
    .filter(isImageJob)
    .map((job, i) => [
      String(i + 1),
      job.input.prompt,
      job.input.preset ?? "-",
      String(job.input.seed),
      `${job.input.width}×${job.input.height}`,
      job.status,
      job.status === "completed" ? String(job.cost.credits) : "0",
      job.result?.assets[0]?.url ?? job.error?.message ?? "",
    ]);
  const header = ["#", "PROMPT", "PRESET", "SEED", "SIZE", "STATUS", "CREDITS", "ASSET"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  const total = `${batch.counts.completed} of ${batch.jobCount} completed, ${batch.credits.spent} credits spent`;
  return [line(header), ...rows.map(line), "", total].join("\n");
}
