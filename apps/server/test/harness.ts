import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createAccountWithKey,
  createLog,
  type EngineContext,
  ensureStartupKey,
  type Log,
} from "@mcpmediaengine/engine";
import { createTestDatabase, type TestDatabase } from "@mcpmediaengine/testing";
import { type Role, startEngine } from "../src/boot/start";
import { readEnv } from "../src/env";
import { watchApiOrigin } from "./response-validation";

export const BOOTSTRAP_KEY = "mme_sk_test_bootstrap_key_0001";

export interface TestServer {
  url: string;
  /** The metrics port's base URL, when MME_METRICS_PORT is set. */
  metricsUrl?: string;
  key: string;
  t: TestDatabase;
  engine: EngineContext;
  dataDir: string;
  /** A second account's key, for isolation tests. */
  newKey(): Promise<string>;
  api(path: string, init?: RequestInit & { key?: string | null }): Promise<Response>;
  stop(): Promise<void>;
}

let servers = 0;

/** The real engine (HTTP and worker) on a fresh database cloned from the template, on a free port. */
export async function startTestServer(
  options: {
    role?: Role;
    env?: Record<string, string>;
    log?: Log;
    /** Passed to startEngine (a CA for OAuth client metadata documents, say). */
    start?: Parameters<typeof startEngine>[3];
  } = {},
): Promise<TestServer> {
  const t = await createTestDatabase();
  const dataDir = join(tmpdir(), `mme-server-test-${process.pid}-${servers++}`);
  mkdirSync(dataDir, { recursive: true });
  const env = readEnv({
    DATABASE_URL: t.connectionString,
    PORT: "0",
    MME_DATA_DIR: dataDir,
    MME_DEV_MODELS: "1",
    MME_BOOTSTRAP_API_KEY: BOOTSTRAP_KEY,
    MME_WEBHOOK_ALLOW_PRIVATE: "1",
    ...options.env,
  });
  const running = await startEngine(
    env,
    options.role ?? "all",
    options.log ?? createLog("silent"),
    options.start,
  );
  await ensureStartupKey({ ctx: running.engine, bootstrapKey: BOOTSTRAP_KEY });
  const url = running.url!;
  watchApiOrigin(url);
  return {
    url,
    metricsUrl: running.metricsUrl,
    key: BOOTSTRAP_KEY,
    t,
    engine: running.engine,
    dataDir,
    newKey: async () => (await createAccountWithKey({ ctx: running.engine, name: "other" })).apiKey,
    api(path, init = {}) {
      const { key = BOOTSTRAP_KEY, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (key) headers.set("authorization", `Bearer ${key}`);
      if (rest.body && !headers.has("content-type")) headers.set("content-type", "application/json");
      return fetch(`${url}${path}`, { ...rest, headers });
    },
    async stop() {
      await running.stop();
      await t.drop();
    },
  };
}

/** Polls a job until it reaches a final status. */
export async function waitForJob(
  server: TestServer,
  jobId: string,
  timeoutMs = 30_000,
  key?: string,
): Promise<Record<string, unknown> & { status: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = (await (await server.api(`/v1/jobs/${jobId}`, { key })).json()) as { status: string };
    if (["completed", "failed", "canceled"].includes(job.status)) return job as never;
    if (Date.now() > deadline) throw new Error(`job ${jobId} is still ${job.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Reads until `ok` holds (every 50 ms), or throws with the last value read after `timeoutMs`. */
export async function eventually<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`not yet: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
