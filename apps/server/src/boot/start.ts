import { resolve } from "node:path";
import { serve } from "@hono/node-server";
import {
  createDb,
  createPool,
  type EmbeddedPostgresHandle,
  migrate,
  StartupError,
  startEmbeddedPostgres,
} from "@mcpmediaengine/db";
import {
  createEngineContext,
  devGenerators,
  type EngineContext,
  type KeyChangeListener,
  type Log,
  listenForKeyChanges,
  startWorker,
  type WorkerHandle,
} from "@mcpmediaengine/engine";
import { engineBackend, McpHttpSessions } from "@mcpmediaengine/mcp";
import { hostedModels } from "@mcpmediaengine/media";
import { type Env, hostedSettings } from "../env";
import { createApp } from "../http/app";
import { TrustedProxies } from "../http/client-address";

export type Role = "all" | "api" | "worker";

export interface RunningEngine {
  engine: EngineContext;
  /** The HTTP base URL, when this process serves HTTP. */
  url?: string;
  /** MCP's Streamable HTTP sessions, when this process serves HTTP. */
  mcp?: McpHttpSessions;
  databaseUrl: string;
  stop(): Promise<void>;
}

/** Opens the database (embedded or DATABASE_URL), migrated, and the engine context on it. */
export async function openEngine(env: Env, log: Log) {
  const dataDir = resolve(env.MME_DATA_DIR);
  let embedded: EmbeddedPostgresHandle | undefined;
  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({
      dataDir,
      port: env.MME_PG_PORT,
      log: (l) => log.debug(`postgres: ${l}`),
    });
    databaseUrl = embedded.connectionString;
  }
  const pool = createPool({
    connectionString: databaseUrl,
    max: 20,
    onError: (error) => log.warn("database connection error", { error: error.message }),
  });
  try {
    await migrate(pool);
  } catch (error) {
    await pool.end().catch(() => {});
    await embedded?.stop();
    const message = (error as Error).message;
    throw new StartupError(`Could not prepare the database: ${message}`);
  }
  const db = createDb(pool);
  const hosted = hostedModels(hostedSettings(env));
  const engine = await createEngineContext({
    db,
    dataDir,
    extraGenerators: [...hosted.generators, ...(env.MME_DEV_MODELS ? devGenerators() : [])],
    unavailableReasons: hosted.unavailable,
    fallbacks: env.MME_MODEL_FALLBACKS,
    fallbackFromAttempt: env.MME_FALLBACK_FROM_ATTEMPT,
    maxAttempts: env.MME_JOB_MAX_ATTEMPTS,
    runTimeouts: { defaultMs: env.MME_JOB_TIMEOUT_SECONDS * 1000, byModel: env.MME_MODEL_TIMEOUTS ?? {} },
    assetUrlLifetimeSeconds: env.MME_ASSET_URL_TTL_SECONDS,
    webhooks: {
      publicUrl:
        env.MME_PUBLIC_URL ?? `http://${env.HOST === "0.0.0.0" ? "localhost" : env.HOST}:${env.PORT}`,
      allowPrivate: env.MME_WEBHOOK_ALLOW_PRIVATE,
      timeoutMs: env.MME_WEBHOOK_TIMEOUT_MS,
      disableAfterMs: env.MME_WEBHOOK_DISABLE_AFTER_HOURS * 3600_000,
      ...(env.MME_WEBHOOK_RETRY_SCHEDULE && { retryScheduleMs: env.MME_WEBHOOK_RETRY_SCHEDULE }),
    },
  });
  const close = async () => {
    await db.destroy();
    await embedded?.stop();
  };
  return { engine, pool, databaseUrl, close };
}

/**
 * Starts the roles this process plays. Shutdown runs in the order that loses nothing: stop taking requests, let
 * the worker finish or release its jobs, close the pools, then stop Postgres.
 */
export async function startEngine(env: Env, role: Role, log: Log): Promise<RunningEngine> {
  const { engine, pool, databaseUrl, close } = await openEngine(env, log);
  let worker: WorkerHandle | undefined;
  let keyChanges: KeyChangeListener | undefined;
  let server: ReturnType<typeof serve> | undefined;
  let mcp: McpHttpSessions | undefined;
  let url: string | undefined;
  try {
    if (role !== "api") {
      worker = await startWorker(engine, {
        pool,
        log,
        concurrency: env.MME_WORKER_CONCURRENCY,
        webhookConcurrency: env.MME_WEBHOOK_CONCURRENCY,
        recovery: { heartbeatMs: env.MME_WORKER_HEARTBEAT_MS, staleAfterMs: env.MME_WORKER_STALE_MS },
        shutdownGraceMs: env.MME_SHUTDOWN_GRACE_SECONDS * 1000,
      });
    }
    if (role !== "worker") {
      keyChanges = await listenForKeyChanges({ connectionString: databaseUrl, cache: engine.keyCache, log });
      mcp = new McpHttpSessions({
        backendFor: (caller, request) =>
          engineBackend(engine, caller, { baseUrl: env.MME_PUBLIC_URL ?? new URL(request.url).origin }),
        log: (message) => log.error(message),
        maxSessions: env.MME_MCP_MAX_SESSIONS,
        maxSessionsPerKey: env.MME_MCP_MAX_SESSIONS_PER_KEY,
      });
      const app = createApp({
        engine,
        log,
        publicUrl: env.MME_PUBLIC_URL,
        adminToken: env.MME_ADMIN_TOKEN,
        mcp,
        rateLimit: {
          unauthenticatedPerMinute: env.MME_UNAUTHENTICATED_RATE_LIMIT,
          trustedProxies: new TrustedProxies(env.MME_TRUSTED_PROXIES),
        },
      });
      const listening = await listen(app.fetch, env.PORT, env.HOST);
      server = listening.server;
      url = `http://${env.HOST === "0.0.0.0" ? "localhost" : env.HOST}:${listening.port}`;
      // With no public URL set, asset links in webhooks point at this process (its port is known only now).
      if (!env.MME_PUBLIC_URL) engine.webhooks.publicUrl = url;
    }
  } catch (error) {
    await mcp?.close().catch(() => {});
    await keyChanges?.stop().catch(() => {});
    await worker?.stop().catch(() => {});
    await close().catch(() => {});
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    engine,
    url,
    mcp,
    databaseUrl,
    stop: () => {
      stopping ??= (async () => {
        // Open MCP streams would hold the HTTP server open: end them first.
        await mcp?.close();
        if (server) await new Promise<void>((done) => server!.close(() => done()));
        await keyChanges?.stop();
        await worker?.stop();
        await close();
      })();
      return stopping;
    },
  };
}

function listen(
  fetch: (request: Request) => Response | Promise<Response>,
  port: number,
  hostname: string,
): Promise<{ server: ReturnType<typeof serve>; port: number }> {
  return new Promise((resolveListen, reject) => {
    const server = serve({ fetch, port, hostname }, (info) => resolveListen({ server, port: info.port }));
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "EADDRINUSE"
          ? new StartupError(`Port ${port} on ${hostname} is already in use. Set PORT to a free port.`)
          : new StartupError(`Cannot listen on ${hostname}:${port}: ${error.message}`),
      );
    });
  });
}
