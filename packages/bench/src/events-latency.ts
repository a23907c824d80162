import { BENCH_KEY, startBenchEngine } from "./engine";
import type { BenchPostgres } from "./postgres";
import { percentile } from "./stats";

export interface EventsLatencyResult {
  /** From sending the cancel to the job's last event on its SSE stream, median. */
  streamP50Ms: number;
  /** The same change seen by GET /v1/jobs/{jobId} polled every `pollMs`, median. */
  pollP50Ms: number;
  pollMs: number;
}

/**
 * A status change reaching a client: a running job is canceled, and two clients watch it at once, one on its
 * event stream (GET /v1/jobs/{jobId}/events) and one polling GET /v1/jobs/{jobId} every `pollMs` (what clients
 * and the console did before the stream). Each figure runs from the moment the cancel is sent until that client
 * sees the job canceled. The poller starts at a random phase, as a real one would be.
 */
export async function benchEventsLatency(
  postgres: BenchPostgres,
  options: { rounds: number; pollMs: number },
): Promise<EventsLatencyResult> {
  const databaseUrl = await postgres.freshDatabase("events");
  const engine = await startBenchEngine(databaseUrl, "all", { clients: 4 });
  const headers = { authorization: `Bearer ${BENCH_KEY}` };
  const stream: number[] = [];
  const poll: number[] = [];
  try {
    for (let round = 0; round < options.rounds + 3; round++) {
      const { jobId } = await engine.submit({ type: "image", prompt: "sleep 600000", model: "dev-sleep" });
      const abort = new AbortController();
      const response = await fetch(`${engine.url}/v1/jobs/${jobId}/events`, {
        headers: { ...headers, accept: "text/event-stream" },
        signal: abort.signal,
      });
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let text = "";
      const seen = async (pattern: RegExp) => {
        while (!pattern.test(text)) {
          const { value, done } = await reader.read();
          if (done) throw new Error("the stream ended early");
          text += decoder.decode(value, { stream: true });
        }
        return performance.now();
      };
      await seen(/"status":"processing"/);
      let sentAt = 0;
      const polled = (async () => {
        await pause(Math.random() * options.pollMs);
        for (;;) {
          const job = (await (await fetch(`${engine.url}/v1/jobs/${jobId}`, { headers })).json()) as {
            status: string;
          };
          if (sentAt > 0 && job.status === "canceled") return performance.now();
          await pause(options.pollMs);
        }
      })();
      sentAt = performance.now();
      await engine.post(`/v1/jobs/${jobId}/cancel`, {});
      const streamed = await seen(/event: job/);
      const polledAt = await polled;
      abort.abort();
      // The first rounds warm the engine up.
      if (round < 3) continue;
      stream.push(streamed - sentAt);
      poll.push(polledAt - sentAt);
    }
    return { streamP50Ms: percentile(stream, 0.5), pollP50Ms: percentile(poll, 0.5), pollMs: options.pollMs };
  } finally {
    await engine.stop();
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
