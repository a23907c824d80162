import { join } from "node:path";
import { Cleanup } from "@mcpmediaengine/chaos/cleanup";
import { EngineProcess, freePorts, type UnexpectedExit } from "@mcpmediaengine/chaos/processes";
import { type EmbeddedPostgresHandle, startEmbeddedPostgres } from "@mcpmediaengine/db";
import { McpLoad, RestLoad } from "./load";
import { LoadBalancer } from "./proxy";
import type { ClusterResult } from "./report";
import { type S3Server, startS3Server } from "./s3";

export const API_KEY = "mme_sk_cluster_key_not_a_secret_01";

export interface ClusterOptions {
  /** Load before the first restart, between restarts and after the last one. */
  settleMs: number;
  restClients: number;
  mcpSessions: number;
  /** The API processes' MME_SHUTDOWN_DRAIN_SECONDS: above the proxy's 250 ms between health checks. */
  drainSeconds: number;
  /** The whole run, clean-up included, ends by then. */
  deadlineMs: number;
}

export const DEFAULT_OPTIONS: ClusterOptions = {
  settleMs: 3000,
  restClients: 3,
  mcpSessions: 3,
  drainSeconds: 2,
  deadlineMs: 300_000,
};

/** The processes a run restarts, in order. */
export const PROCESSES = ["api-1", "api-2", "worker-1", "worker-2"];

/**
 * One run: Postgres and an S3 server, two API processes behind the load balancer, two workers; a steady load of
 * REST customers and MCP agents through the balancer while each process in turn is stopped with SIGTERM (and so
 * drains), started again and waited for; then the figures. Everything it started is stopped and removed at the
 * end, whatever happened.
 */
export async function runCluster(
  options: ClusterOptions,
  control: { signal?: AbortSignal; log?: (line: string) => void } = {},
): Promise<ClusterResult> {
  const startedAt = Date.now();
  const say = (line: string) =>
    (control.log ?? ((l) => process.stderr.write(`${l}\n`)))(
      `[cluster +${((Date.now() - startedAt) / 1000).toFixed(1)} s] ${line}`,
    );
  const result: ClusterResult = {
    startedAt,
    endedAt: 0,
    restarts: [],
    unexpectedExits: [],
    cleanupProblems: [],
  };
  const stop = new AbortController();
  const deadline = setTimeout(() => stop.abort("the run's deadline came"), options.deadlineMs - 30_000);
  const interrupt = () => stop.abort(control.signal?.reason ?? "interrupted");
  control.signal?.addEventListener("abort", interrupt, { once: true });
  const checkStopped = () => {
    if (stop.signal.aborted) throw new Error(String(stop.signal.reason));
  };

  const cleanup = await Cleanup.begin(options.deadlineMs + 60_000);
  const loadStop = new AbortController();
  let postgres: EmbeddedPostgresHandle | undefined;
  let s3: S3Server | undefined;
  let balancer: LoadBalancer | undefined;
  let mcp: McpLoad | undefined;
  const processes: EngineProcess[] = [];
  try {
    const [pgPort, apiPort1, apiPort2] = (await freePorts(3)) as [number, number, number];
    say(`starting Postgres on port ${pgPort} and an S3 server`);
    const pgDir = join(cleanup.root, "pg");
    await cleanup.trackPidFile(join(pgDir, "postgres", "postmaster.pid"));
    postgres = await startEmbeddedPostgres({ dataDir: pgDir, port: pgPort, database: "mme" });
    s3 = await startS3Server(join(cleanup.root, "s3"));
    const apiUrls = [apiPort1, apiPort2].map((port) => `http://127.0.0.1:${port}`);
    balancer = new LoadBalancer(apiUrls);
    const proxyUrl = await balancer.listen();
    say(`the load balancer is ${proxyUrl}; starting two API and two worker processes`);

    const env = {
      DATABASE_URL: postgres.connectionString,
      MME_DATA_DIR: join(cleanup.root, "data"),
      MME_BOOTSTRAP_API_KEY: API_KEY,
      MME_DEV_MODELS: "1",
      MME_LOG_LEVEL: "warn",
      MME_PUBLIC_URL: proxyUrl,
      MME_TRUSTED_PROXIES: "127.0.0.1",
      MME_SHUTDOWN_DRAIN_SECONDS: String(options.drainSeconds),
      ...s3.env,
    };
    const onExit = (_: EngineProcess, exit: UnexpectedExit) => {
      result.unexpectedExits.push(
        `${exit.name} exited (${exit.signal ?? exit.code}): ${exit.tail.slice(-3).join(" | ")}`,
      );
    };
    processes.push(
      new EngineProcess("api-1", "api", env, cleanup, onExit, apiPort1),
      new EngineProcess("api-2", "api", env, cleanup, onExit, apiPort2),
      new EngineProcess("worker-1", "worker", env, cleanup, onExit),
      new EngineProcess("worker-2", "worker", env, cleanup, onExit),
    );
    // The first migrates the database and makes the key; the others start once it has.
    await processes[0]!.start();
    await Promise.all(processes.slice(1).map((p) => p.start()));
    for (const url of apiUrls) await until(() => balancer!.isReady(url), stop.signal);
    checkStopped();

    say(`load: ${options.restClients} REST customers and ${options.mcpSessions} MCP sessions`);
    const rest = new RestLoad(proxyUrl, API_KEY);
    mcp = new McpLoad(proxyUrl, API_KEY);
    result.rest = rest.figures;
    result.mcp = mcp.sessions;
    result.proxy = balancer.counts;
    const load = Promise.all([
      rest.run(options.restClients, loadStop.signal),
      mcp.run(options.mcpSessions, loadStop.signal),
    ]);
    await sleep(options.settleMs, stop.signal);
    for (const process of processes) {
      checkStopped();
      say(`restarting ${process.name}`);
      const t0 = Date.now();
      await process.stop();
      const t1 = Date.now();
      await process.start();
      if (process.url) await until(() => balancer!.isReady(process.url!), stop.signal);
      result.restarts.push({ name: process.name, stopMs: t1 - t0, startMs: Date.now() - t1 });
      await sleep(options.settleMs, stop.signal);
    }
    say("load over; waiting for its last jobs to end");
    loadStop.abort();
    await Promise.race([load, new Promise((r) => stop.signal.addEventListener("abort", r, { once: true }))]);
    checkStopped();
  } catch (error) {
    result.stoppedEarly = stop.signal.aborted ? String(stop.signal.reason) : (error as Error).message;
  } finally {
    clearTimeout(deadline);
    control.signal?.removeEventListener("abort", interrupt);
    loadStop.abort();
    say("cleaning up");
    await mcp?.close();
    await Promise.all(processes.map((p) => p.stop().catch(() => {})));
    await balancer?.close().catch(() => {});
    await s3?.stop().catch(() => {});
    await postgres?.stop().catch(() => {});
    result.cleanupProblems = await cleanup.sweep();
    result.endedAt = Date.now();
  }
  return result;
}

async function until(ok: () => boolean, signal: AbortSignal): Promise<void> {
  for (let i = 0; i < 1200 && !ok(); i++) await sleep(100, signal);
  if (!ok()) throw new Error("a process did not become ready within two minutes");
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const abort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", abort);
      resolve();
    }, ms);
    signal.addEventListener("abort", abort, { once: true });
  });
}
