import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createPool } from "@mcpmediaengine/db";
import { type BenchEngine, startBenchEngine } from "./engine";
import type { BenchPostgres } from "./postgres";
import { percentile } from "./stats";
import { type LoadResult, runLoad } from "./submit-throughput";

const JOB = { type: "image", prompt: "bench", model: "dev-noop" } as const;

// Each way of watching alone, all of them, and none: what an operator turns on, and what it costs.
const OFF = { MME_METRICS: "0", MME_LOG_LEVEL: "silent" };
const SETUPS = {
  off: () => OFF,
  metrics: () => ({ ...OFF, MME_METRICS: "1" }),
  logs: () => ({ ...OFF, MME_LOG_LEVEL: "info", MME_LOG_FORMAT: "json" }),
  tracing: (otlp: string) => ({ ...OFF, OTEL_EXPORTER_OTLP_ENDPOINT: otlp }),
  all: (otlp: string) => ({
    MME_METRICS: "1",
    MME_LOG_LEVEL: "info",
    MME_LOG_FORMAT: "json",
    OTEL_EXPORTER_OTLP_ENDPOINT: otlp,
  }),
} as const;
type Setup = keyof typeof SETUPS;

export interface WatchingCost {
  throughput: Record<Setup, LoadResult>;
  latency: { allP50Ms: number; offP50Ms: number };
  /** What the watched engine sent while measured: log bytes and spans exported per submit, scrapes answered. */
  volume: { logBytesPerSubmit: number; traceExports: number; scrapes: number };
}

/**
 * What watching costs, every figure against the same engine with all of it off, in one run. Throughput is
 * POST /v1/jobs from `clients` at once on API processes that differ only in what they watch with (metrics, JSON
 * logs at info, tracing, all three, none), each on its own database, rounds taking turns, median round; latency is
 * submit-to-completed of no-op jobs one at a time, all on against all off, interleaved. A watching process's log
 * goes to a pipe the benchmark reads (as a collector would), its spans to a local OTLP receiver that answers at
 * once, and its /metrics page is scraped every 5 s (three times Prometheus's usual rate).
 */
export async function benchWatchingCost(
  postgres: BenchPostgres,
  options: { count: number; clients: number; rounds: number; latencyJobs: number },
): Promise<WatchingCost> {
  const otlp = await startOtlpSink();
  let scrapes = 0;
  const scraping = (engines: BenchEngine[]) => {
    const timer = setInterval(() => {
      for (const engine of engines) {
        void fetch(`${engine.url}/metrics`).then(async (r) => {
          await r.text();
          if (r.ok) scrapes++;
        });
      }
    }, 5000);
    return () => clearInterval(timer);
  };
  try {
    const setups = Object.keys(SETUPS) as Setup[];
    const throughput = await engines(postgres, "api", setups, otlp.url, options.clients, async (running) => {
      const stopScraping = scraping(Object.values(running));
      try {
        for (const setup of setups) await runLoad(300, options.clients, () => running[setup].submit(JOB));
        const rounds = Object.fromEntries(setups.map((s) => [s, [] as LoadResult[]])) as Record<
          Setup,
          LoadResult[]
        >;
        const logBefore = running.all.logBytes();
        const exportsBefore = otlp.exports();
        for (let round = 0; round < options.rounds; round++) {
          for (const setup of setups) {
            rounds[setup].push(
              await runLoad(options.count, options.clients, () => running[setup].submit(JOB)),
            );
          }
        }
        const submits = options.count * options.rounds;
        return {
          results: Object.fromEntries(setups.map((s) => [s, median(rounds[s])])) as Record<Setup, LoadResult>,
          logBytesPerSubmit: (running.all.logBytes() - logBefore) / submits,
          traceExports: otlp.exports() - exportsBefore,
        };
      } finally {
        stopScraping();
      }
    });
    const latency = await engines(postgres, "all", ["all", "off"], otlp.url, 1, async (running, urls) => {
      const stopScraping = scraping([running.all]);
      const pools = [urls.all, urls.off].map((connectionString) => createPool({ connectionString, max: 2 }));
      try {
        const [onWatcher, offWatcher] = await Promise.all(pools.map((pool) => pool.connect()));
        const completed = async (engine: BenchEngine, watcher: typeof onWatcher) => {
          const t0 = performance.now();
          const { jobId } = await engine.submit(JOB);
          for (;;) {
            const { rows } = await watcher!.query<{ status: string }>(
              "select status from jobs where id = $1",
              [jobId],
            );
            if (rows[0]?.status === "completed") return performance.now() - t0;
            if (rows[0]?.status === "failed") throw new Error(`bench job ${jobId} failed`);
          }
        };
        for (let i = 0; i < 20; i++) {
          await completed(running.all, onWatcher);
          await completed(running.off, offWatcher);
        }
        const on: number[] = [];
        const off: number[] = [];
        for (let i = 0; i < options.latencyJobs; i++) {
          on.push(await completed(running.all, onWatcher));
          off.push(await completed(running.off, offWatcher));
        }
        onWatcher!.release();
        offWatcher!.release();
        return { allP50Ms: percentile(on, 0.5), offP50Ms: percentile(off, 0.5) };
      } finally {
        stopScraping();
        await Promise.all(pools.map((pool) => pool.end()));
      }
    });
    return {
      throughput: throughput.results,
      latency,
      volume: {
        logBytesPerSubmit: throughput.logBytesPerSubmit,
        traceExports: throughput.traceExports,
        scrapes,
      },
    };
  } finally {
    await otlp.stop();
  }
}

/** One engine of the role per setup, each on a fresh database, for the time of `work`. */
async function engines<S extends Setup, T>(
  postgres: BenchPostgres,
  role: "all" | "api",
  setups: S[],
  otlpUrl: string,
  clients: number,
  work: (running: Record<S, BenchEngine>, databaseUrls: Record<S, string>) => Promise<T>,
): Promise<T> {
  const running: Partial<Record<S, BenchEngine>> = {};
  const urls: Partial<Record<S, string>> = {};
  try {
    for (const setup of setups) {
      urls[setup] = await postgres.freshDatabase(`${setup}_${role}`);
      running[setup] = await startBenchEngine(urls[setup]!, role, {
        clients,
        env: SETUPS[setup](otlpUrl),
        drainLog: true,
      });
    }
    return await work(running as Record<S, BenchEngine>, urls as Record<S, string>);
  } finally {
    await Promise.all(Object.values<BenchEngine | undefined>(running).map((engine) => engine?.stop()));
  }
}

function median(rounds: LoadResult[]): LoadResult {
  return [...rounds].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(rounds.length / 2)] as LoadResult;
}

/** An OTLP/HTTP receiver that reads each export and answers 200 at once, counting them. */
async function startOtlpSink(): Promise<{ url: string; exports(): number; stop(): Promise<void> }> {
  let exports = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      exports++;
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    exports: () => exports,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
