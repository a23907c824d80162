import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import pg from "pg";

export const BENCH_KEY = "mme_sk_bench_key_not_a_secret_0001";

export interface BenchEngine {
  url: string;
  /** The engine's data folder (its assets), for a second process of the same deployment. */
  dataDir: string;
  submit(body: object, headers?: Record<string, string>): Promise<{ jobId: string }>;
  /** Bytes the engine wrote to stderr (its log), when started with `drainLog`. */
  logBytes(): number;
  /** POST a JSON body to any path; rejects unless the answer is 2xx. */
  post<T>(path: string, body: object, headers?: Record<string, string>): Promise<T>;
  stop(): Promise<void>;
}

/**
 * The engine as production runs it: `mcp-media-engine start` in its own process, on a free port, with the dev
 * models on. Running it in the benchmark's process would make the load generator and the server share one event
 * loop, which no deployment does.
 */
export async function startBenchEngine(
  databaseUrl: string,
  role: "all" | "api",
  options: {
    clients: number;
    env?: Record<string, string>;
    /** Read the engine's stderr (as a log collector would) instead of passing it through to ours. */
    drainLog?: boolean;
  },
): Promise<BenchEngine> {
  const bin = join(
    dirname(createRequire(import.meta.url).resolve("@mcpmediaengine/server/package.json")),
    "bin",
  );
  const dataDir = mkdtempSync(join(tmpdir(), "mme-bench-assets-"));
  // BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server while it is measured.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const child = spawn(
    process.execPath,
    [...nodeArgs, join(bin, "mcp-media-engine.mjs"), "start", "--role", role],
    {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "/root",
        DATABASE_URL: databaseUrl,
        PORT: "0",
        MME_DATA_DIR: dataDir,
        MME_DEV_MODELS: "1",
        MME_BOOTSTRAP_API_KEY: BENCH_KEY,
        MME_LOG_LEVEL: "warn",
        ...options.env,
      },
      stdio: ["ignore", "pipe", options.drainLog ? "pipe" : "inherit"],
    },
  );
  let logBytes = 0;
  child.stderr?.on("data", (chunk: Buffer) => {
    logBytes += chunk.length;
  });
  const url = await listeningUrl(child);
  await liftRateLimit(databaseUrl);
  const { hostname, port } = new URL(url);
  // node:http with keep-alive rather than fetch: the client should cost as little as the pg client of the
  // baseline does, so the figure is the server's.
  const agent = new Agent({ keepAlive: true, maxSockets: options.clients });
  const post = <T>(path: string, body: object, extraHeaders: Record<string, string> = {}): Promise<T> => {
    const payload = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          agent,
          hostname,
          port,
          path,
          method: "POST",
          headers: {
            authorization: `Bearer ${BENCH_KEY}`,
            "content-type": "application/json",
            "content-length": Buffer.byteLength(payload),
            ...extraHeaders,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString();
            const status = res.statusCode ?? 0;
            if (status < 200 || status >= 300) reject(new Error(`${path} answered ${status}: ${text}`));
            else resolve(JSON.parse(text));
          });
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
  };
  return {
    url,
    dataDir,
    submit: (body, extraHeaders = {}) => post<{ jobId: string }>("/v1/jobs", body, extraHeaders),
    logBytes: () => logBytes,
    post,
    async stop() {
      agent.destroy();
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+?);/.exec(out);
      if (match) resolve(match[1] as string);
    });
    child.once("exit", (code) => reject(new Error(`the engine exited (${code}) before listening:\n${out}`)));
  });
}

/**
 * The benchmark sends far more than an enterprise key's 6,000 requests a minute. Its account gets its own limit
 * (as an operator would give a heavy customer), so every request is still counted but none is refused. The
 * server hears of the change from Postgres before the load starts.
 */
async function liftRateLimit(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // The database is the benchmark's own: the start-up key's account is its only enterprise account.
    await client.query(
      `update accounts set limits = '{"requestsPerMinute": 1000000000}' where plan = 'enterprise'`,
    );
  } finally {
    await client.end();
  }
  await new Promise((r) => setTimeout(r, 200));
}
