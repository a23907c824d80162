import { createPool } from "@mcpmediaengine/db";
import { startBenchEngine } from "./engine";
import type { BenchPostgres } from "./postgres";
import { percentile } from "./stats";

export interface CancelLatencyResult {
  /** From the cancel's answer to the run having stopped (its concurrency slot given back), median. */
  stoppedMs: number;
  /** What the render still had to do at the moment it was canceled (full render time × the share left), median. */
  sparedMs: number;
}

const CLIP = {
  type: "video",
  prompt: "a long tracking shot over a harbour",
  durationSeconds: 15,
  model: "local-motion",
};

/**
 * Cancel of a running 15 s local-motion clip (drawing frames into ffmpeg) on a real engine: the time from the
 * cancel's answer until the worker's run has really stopped (`jobs.running_on` cleared, which happens only once
 * the generator has settled: ffmpeg killed and reaped). The baseline is the render time the cancel spared: a
 * full render's time measured in the same run, times the share not yet done when it was canceled.
 */
export async function benchCancelLatency(
  postgres: BenchPostgres,
  options: { rounds: number },
): Promise<CancelLatencyResult> {
  const databaseUrl = await postgres.freshDatabase("cancel");
  const engine = await startBenchEngine(databaseUrl, "all", { clients: 1 });
  const pool = createPool({ connectionString: databaseUrl, max: 2 });
  const row = async (jobId: string) =>
    (
      await pool.query<{ status: string; progress: number; running_on: string | null }>(
        "select status, progress, running_on from jobs where id = $1",
        [jobId],
      )
    ).rows[0]!;
  try {
    // One full render, for the baseline (the engines warm up on it too).
    const t0 = performance.now();
    const full = await engine.submit(CLIP);
    while ((await row(full.jobId)).status !== "completed") await pause(20);
    const fullMs = performance.now() - t0;

    const stopped: number[] = [];
    const spared: number[] = [];
    for (let i = 0; i < options.rounds; i++) {
      const { jobId } = await engine.submit({ ...CLIP, seed: i + 1 });
      let progress = (await row(jobId)).progress;
      while (progress < 0.2) {
        await pause(20);
        progress = (await row(jobId)).progress;
      }
      await engine.post(`/v1/jobs/${jobId}/cancel`, {});
      const canceledAt = performance.now();
      while ((await row(jobId)).running_on !== null) await pause(5);
      stopped.push(performance.now() - canceledAt);
      spared.push(fullMs * (1 - progress));
    }
    return { stoppedMs: percentile(stopped, 0.5), sparedMs: percentile(spared, 0.5) };
  } finally {
    await pool.end();
    await engine.stop();
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
