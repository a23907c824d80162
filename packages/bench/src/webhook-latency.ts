import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { BENCH_KEY, startBenchEngine } from "./engine";
import type { BenchPostgres } from "./postgres";
import { percentile } from "./stats";

export interface WebhookLatencyResult {
  ours: { p50Ms: number; p99Ms: number };
  /** The same, while deliveries to a receiver that never answers hold slots until their timeout. */
  withSlowEndpoint: { p50Ms: number; p99Ms: number };
  baseline: { p50Ms: number; p99Ms: number };
}

/**
 * From a job's completion (the timestamp of its job.completed event, taken in the completing transaction) to the
 * receiver holding a delivery it has verified with the standardwebhooks package and answering 2xx; one job at a
 * time. The baseline is a bare POST of the same body to the same receiver from this process, on a new connection
 * as each delivery uses. Then the same measurement while eight deliveries hang on a receiver that never answers.
 */
export async function benchWebhookLatency(
  postgres: BenchPostgres,
  options: { count: number },
): Promise<WebhookLatencyResult> {
  const databaseUrl = await postgres.freshDatabase("webhooks");
  const engine = await startBenchEngine(databaseUrl, "all", {
    clients: 1,
    env: { MME_WEBHOOK_ALLOW_PRIVATE: "1", MME_WORKER_CONCURRENCY: "4" },
  });
  const secret = await getSecret(engine.url);
  const verifier = new Webhook(secret);
  let waiting: ((delivery: { body: string; at: number }) => void) | undefined;
  let failed: ((error: Error) => void) | undefined;
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.url === "/slow") return; // never answers: the delivery waits for its timeout
      const body = Buffer.concat(chunks).toString();
      try {
        verifier.verify(body, req.headers as Record<string, string>);
      } catch (error) {
        res.writeHead(400).end();
        failed?.(error as Error);
        return;
      }
      const at = Date.now();
      res.writeHead(204).end();
      if (req.url === "/hook") waiting?.({ body, at });
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  let lastBody = "";
  const ours = async () => {
    const arrived = new Promise<{ body: string; at: number }>((resolve, reject) => {
      waiting = resolve;
      failed = reject;
      setTimeout(() => reject(new Error("no verified delivery within 10 s")), 10_000).unref();
    });
    await engine.submit({ type: "image", prompt: "bench", model: "dev-noop", webhookUrl: `${base}/hook` });
    const { body, at } = await arrived;
    lastBody = body;
    return at - Date.parse((JSON.parse(body) as { timestamp: string }).timestamp);
  };
  const bare = () => {
    const t0 = performance.now();
    return new Promise<number>((resolve, reject) => {
      const req = request(`${base}/bare`, {
        method: "POST",
        agent: false,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(lastBody) },
      });
      req.on("response", (res) => {
        res.resume();
        res.on("end", () => resolve(performance.now() - t0));
      });
      req.on("error", reject);
      req.end(lastBody);
    });
  };
  try {
    for (let i = 0; i < 20; i++) await ours();
    const oursSamples: number[] = [];
    const bareSamples: number[] = [];
    for (let i = 0; i < options.count; i++) {
      oursSamples.push(await ours());
      bareSamples.push(await bare());
    }
    for (let i = 0; i < 8; i++) {
      await engine.submit({ type: "image", prompt: "slow", model: "dev-noop", webhookUrl: `${base}/slow` });
    }
    await new Promise((r) => setTimeout(r, 200));
    const slowSamples: number[] = [];
    for (let i = 0; i < Math.min(options.count, 100); i++) slowSamples.push(await ours());
    const stats = (s: number[]) => ({ p50Ms: percentile(s, 0.5), p99Ms: percentile(s, 0.99) });
    return { ours: stats(oursSamples), withSlowEndpoint: stats(slowSamples), baseline: stats(bareSamples) };
  } finally {
    receiver.closeAllConnections();
    receiver.close();
    await engine.stop();
  }
}

async function getSecret(url: string): Promise<string> {
  const response = await fetch(`${url}/v1/webhooks/secret`, {
    headers: { authorization: `Bearer ${BENCH_KEY}` },
  });
  return ((await response.json()) as { secret: string }).secret;
}
