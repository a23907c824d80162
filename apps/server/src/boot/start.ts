import { resolve } from "node:path";
import {
  connectsSettled,
  createDb,
  createPool,
  DatabaseWatch,
  type EmbeddedPostgresHandle,
  isConnectionError,
  migrate,
  StartupError,
  startEmbeddedPostgres,
} from "@mcpmediaengine/db";
import {
  ClientDocuments,
  createEngineContext,
  createStripeBilling,
  DEFAULT_OAUTH_TTLS,
  devGenerators,
  type EngineContext,
  EngineMetrics,
  JobEventSource,
  type KeyChangeListener,
  type Log,
  listenForKeyChanges,
  listenForNotifications,
  type NotificationListener,
  openS3AssetStore,
  type S3AssetStore,
  startWorker,
  type WorkerHandle,
} from "@mcpmediaengine/engine";
import { engineBackend, isLoopbackAddress, McpHttpSessions, McpSseSessions } from "@mcpmediaengine/mcp";
import { hostedModels } from "@mcpmediaengine/media";
import { billingSettings, type Env, hostedSettings, s3Settings } from "../env";
import { createApp } from "../http/app";
import { TrustedProxies } from "../http/client-address";
import { metricsApp } from "../http/metrics-page";
import { assertWritableDataFolder } from "./data-folder";
import { describeHolder, type FolderLock, lockDataFolder } from "./folder-lock";
import { type EarlyListener, listenEarly } from "./listen";
import { presignedOrigins } from "./presigned-origins";

export type Role = "all" | "api" | "worker";

export interface RunningEngine {
  engine: EngineContext;
  /** The HTTP base URL, when this process serves HTTP. */
  url?: string;
  /** MCP's Streamable HTTP sessions, when this process serves HTTP. */
  mcp?: McpHttpSessions;
  /** The base URL of the metrics port (MME_METRICS_PORT), when it has one. */
  metricsUrl?: string;
  databaseUrl: string;
  stop(): Promise<void>;
}

export interface OpenOptions {
  /**
   * Whether the caller already holds the data folder's lock (startEngine does). Otherwise, in embedded mode, the
   * folder is locked for the time the engine is open, or, when a running engine holds it, its Postgres is joined:
   * a short command (`keys create`) works beside a running engine.
   */
  folderLocked?: boolean;
}

/** Opens the database (embedded or DATABASE_URL), migrated, and the engine context on it. */
export async function openEngine(env: Env, log: Log, options: OpenOptions = {}) {
  const dataDir = resolve(env.MME_DATA_DIR);
  let embedded: EmbeddedPostgresHandle | undefined;
  let lock: FolderLock | undefined;
  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    let existing: "join" | "replace" = "replace";
    if (!options.folderLocked) {
      await assertWritableDataFolder(dataDir);
      const taken = await lockDataFolder(dataDir, process.argv.slice(2).join(" ") || "mcp-media-engine");
      if ("heldBy" in taken) existing = "join";
      else lock = taken;
    }
    try {
      embedded = await startEmbeddedPostgres({
        dataDir,
        port: env.MME_PG_PORT,
        log: (l) => log.debug(`postgres: ${l}`),
        existing,
        notices: { info: (m) => log.info(m), warn: (m) => log.warn(m) },
      });
    } catch (error) {
      await lock?.release();
      throw error;
    }
    databaseUrl = embedded.connectionString;
  }
  const poolSize = 20;
  const pool = createPool({
    connectionString: databaseUrl,
    max: poolSize,
    connectTimeoutMs: env.MME_DB_CONNECT_TIMEOUT_MS,
    // The DatabaseWatch reports a lost database once; each dropped connection is not news.
    onError: (error) =>
      (isConnectionError(error) ? log.debug : log.warn)("database connection error", {
        error: error.message,
      }),
  });
  try {
    await migrate(pool);
  } catch (error) {
    await pool.end().catch(() => {});
    await embedded?.stop();
    await lock?.release();
    const message = (error as Error).message;
    throw new StartupError(`Could not prepare the database: ${message}`);
  }
  const db = createDb(pool);
  const assets = await openAssetStore(env).catch(async (error: unknown) => {
    await pool.end().catch(() => {});
    await embedded?.stop();
    await lock?.release();
    throw error;
  });
  const metrics = new EngineMetrics({ enabled: env.MME_METRICS });
  metrics.watchPool("main", pool, poolSize);
  const hosted = hostedModels(hostedSettings(env));
  const billing = billingSettings(env);
  const engine = await createEngineContext({
    db,
    dataDir,
    metrics,
    extraGenerators: [...hosted.generators, ...(env.MME_DEV_MODELS ? devGenerators() : [])],
    unavailableReasons: hosted.unavailable,
    fallbacks: env.MME_MODEL_FALLBACKS,
    fallbackFromAttempt: env.MME_FALLBACK_FROM_ATTEMPT,
    maxAttempts: env.MME_JOB_MAX_ATTEMPTS,
    runTimeouts: { defaultMs: env.MME_JOB_TIMEOUT_SECONDS * 1000, byModel: env.MME_MODEL_TIMEOUTS ?? {} },
    assetUrlLifetimeSeconds: env.MME_ASSET_URL_TTL_SECONDS,
    assets,
    assetDelivery: env.MME_ASSET_URLS,
    assetRetentionDays: env.MME_ASSET_RETENTION_DAYS,
    webhooks: {
      publicUrl:
        env.MME_PUBLIC_URL ?? `http://${env.HOST === "0.0.0.0" ? "localhost" : env.HOST}:${env.PORT}`,
      allowPrivate: env.MME_WEBHOOK_ALLOW_PRIVATE,
      timeoutMs: env.MME_WEBHOOK_TIMEOUT_MS,
      disableAfterMs: env.MME_WEBHOOK_DISABLE_AFTER_HOURS * 3600_000,
      ...(env.MME_WEBHOOK_RETRY_SCHEDULE && { retryScheduleMs: env.MME_WEBHOOK_RETRY_SCHEDULE }),
    },
    billing: { ...billing, stripe: billing.stripe && createStripeBilling(billing.stripe) },
  });
  const close = async () => {
    await db.destroy();
    await embedded?.stop();
    await lock?.release();
  };
  return { engine, pool, databaseUrl, close };
}

/**
 * The S3 store of MME_STORAGE_URL, or undefined for the local disk. A store without a region cannot work at all and
 * stops the start; a bucket that does not answer is only logged, later by startEngine (the store may be back before
 * the first job ends, and a failed write fails that job, not the engine).
 */
async function openAssetStore(env: Env): Promise<S3AssetStore | undefined> {
  if (!env.MME_STORAGE_URL) return undefined;
  const store = await openS3AssetStore(s3Settings(env, env.MME_STORAGE_URL));
  const problem = await store.checkRegion();
  if (problem) throw new StartupError(`MME_STORAGE_URL: ${problem}.`);
  return store;
}

/**
 * Starts the roles this process plays. In order: the data folder is checked writable and (embedded Postgres only)
 * locked, so a second engine on the folder stops at once; the HTTP port is taken, so a port in use is reported
 * before Postgres starts; then the database, the worker and the app. Shutdown runs in the order that loses
 * nothing: stop taking requests, let the worker finish or release its jobs, close the pools, then stop Postgres.
 */
export async function startEngine(
  env: Env,
  role: Role,
  log: Log,
  options: {
    what?: string;
    whenLocked?: string;
    /** Certificates trusted besides the system's when fetching OAuth client metadata documents (tests). */
    oauthClientCa?: string;
  } = {},
): Promise<RunningEngine> {
  const dataDir = resolve(env.MME_DATA_DIR);
  const embeddedMode = !env.DATABASE_URL;
  // An API process on a shared read-only assets mount is fine; anything that writes there must be able to. With
  // the assets in a bucket and DATABASE_URL, nothing is written to the folder at all.
  if (embeddedMode || (role !== "api" && !env.MME_STORAGE_URL)) await assertWritableDataFolder(dataDir);
  let lock: FolderLock | undefined;
  if (embeddedMode) {
    const taken = await lockDataFolder(dataDir, options.what ?? `start --role ${role}`);
    if ("heldBy" in taken) {
      throw new StartupError(
        `${describeHolder(taken.heldBy, dataDir)} ${
          options.whenLocked ??
          "Stop it first, or give this one another folder with MME_DATA_DIR. (Several processes may share one data folder when they all use the same DATABASE_URL.)"
        }`,
      );
    }
    lock = taken;
  }
  let listener: EarlyListener | undefined;
  let metricsListener: EarlyListener | undefined;
  let url: string | undefined;
  const host = env.HOST === "0.0.0.0" ? "localhost" : env.HOST;
  try {
    if (role !== "worker") {
      listener = await listenEarly(env.PORT, env.HOST);
      url = `http://${host}:${listener.port}`;
      await lock?.update({ url, port: listener.port });
    }
    if (env.MME_METRICS && env.MME_METRICS_PORT !== undefined) {
      metricsListener = await listenEarly(env.MME_METRICS_PORT, env.HOST, "MME_METRICS_PORT");
    }
  } catch (error) {
    await listener?.close();
    await lock?.release();
    throw error;
  }
  const opened = await openEngine(env, log, { folderLocked: true }).catch(async (error: unknown) => {
    await metricsListener?.close();
    await listener?.close();
    await lock?.release();
    throw error;
  });
  const { engine, databaseUrl } = opened;
  if (env.MME_STORAGE_URL) {
    void (engine.assets as S3AssetStore).checkBucket().then((problem) => {
      if (problem) log.warn(`asset store ${engine.assets.location}: ${problem}`);
    });
  }
  const close = async () => {
    await opened.close();
    await lock?.release();
  };
  // The queue's own pool waits for a lost database instead of failing (graphile-worker does not survive that);
  // its patience ends when the process stops while the database is away.
  const patience = new AbortController();
  const queuePool =
    role === "api"
      ? undefined
      : createPool({
          connectionString: databaseUrl,
          // graphile-worker wants a connection per job slot at hand, and one LISTEN connection per runner.
          max: env.MME_WORKER_CONCURRENCY + env.MME_WEBHOOK_CONCURRENCY + 2,
          connectTimeoutMs: env.MME_DB_CONNECT_TIMEOUT_MS,
          waitWhileDown: { signal: patience.signal },
          onError: (error) =>
            (isConnectionError(error) ? log.debug : log.warn)("queue connection error", {
              error: error.message,
            }),
        });
  if (queuePool) engine.metrics.watchPool("queue", queuePool, queuePool.options.max ?? 10);
  if (metricsListener) {
    const app = metricsApp(engine.metrics, env.MME_METRICS_TOKEN);
    metricsListener.serve((request) => app.fetch(request));
  }
  const watch = new DatabaseWatch({ connectionString: databaseUrl, log });
  watch.start();
  let worker: WorkerHandle | undefined;
  let keyChanges: KeyChangeListener | undefined;
  let sessionCloses: NotificationListener | undefined;
  let jobEvents: JobEventSource | undefined;
  let mcp: McpHttpSessions | undefined;
  let sse: McpSseSessions | undefined;
  let draining = false;
  // Ends the console's live streams at stop, which would otherwise hold the HTTP server open.
  const streams = new AbortController();
  try {
    if (queuePool) {
      worker = await startWorker(engine, {
        pool: queuePool,
        log,
        concurrency: env.MME_WORKER_CONCURRENCY,
        webhookConcurrency: env.MME_WEBHOOK_CONCURRENCY,
        recovery: { heartbeatMs: env.MME_WORKER_HEARTBEAT_MS, staleAfterMs: env.MME_WORKER_STALE_MS },
        shutdownGraceMs: env.MME_SHUTDOWN_GRACE_SECONDS * 1000,
        waitForDatabase: () => watch.whenUp(patience.signal),
      });
    }
    if (listener && url) {
      keyChanges = await listenForKeyChanges({ connectionString: databaseUrl, cache: engine.keyCache, log });
      // One LISTEN connection for every job stream and live view of this process (migration 0017's notifications).
      jobEvents = await JobEventSource.start({ connectionString: databaseUrl, log });
      engine.jobEvents = jobEvents;
      // Media may come from the store the asset URLs redirect to: the console's and the MCP app's CSP allow it.
      const mediaOrigins = await presignedOrigins(engine.assets, env.MME_ASSET_URLS);
      const sessions = new McpHttpSessions({
        engine,
        backendFor: (caller, request) =>
          engineBackend(
            engine,
            caller,
            { baseUrl: env.MME_PUBLIC_URL ?? new URL(request.url).origin },
            mediaOrigins,
          ),
        log: (message) => log.error(message),
        maxSessions: env.MME_MCP_MAX_SESSIONS,
        maxSessionsPerKey: env.MME_MCP_MAX_SESSIONS_PER_KEY,
      });
      mcp = sessions;
      sse = new McpSseSessions({
        backendFor: (caller, request) =>
          engineBackend(engine, caller, { baseUrl: env.MME_PUBLIC_URL ?? new URL(request.url).origin }),
        log: (message) => log.error(message),
      });
      // Migration 0013 announces every closed MCP session: this process's copy of it goes, wherever it was closed.
      sessionCloses = await listenForNotifications({
        connectionString: databaseUrl,
        log,
        name: "MCP session listener",
        meanwhile: "sessions closed elsewhere are noticed at their next request",
        channels: { mme_mcp_session_closed: (id) => sessions.forget(id) },
        onUp: () =>
          void sessions
            .reconcile()
            .catch((error: unknown) =>
              log.debug("could not check this process's MCP sessions", { error: String(error) }),
            ),
      });
      const app = createApp({
        engine,
        log,
        publicUrl: env.MME_PUBLIC_URL,
        adminToken: env.MME_ADMIN_TOKEN,
        mcp,
        mcpOrigins: {
          allowedOrigins: env.MME_MCP_ALLOWED_ORIGINS ?? [],
          loopback: isLoopbackAddress(env.HOST),
        },
        sse,
        oauth: env.MME_OAUTH
          ? {
              ...DEFAULT_OAUTH_TTLS,
              accessTokenTtlMs: env.MME_OAUTH_ACCESS_TOKEN_TTL_SECONDS * 1000,
              refreshTokenTtlMs: env.MME_OAUTH_REFRESH_TOKEN_TTL_DAYS * 24 * 3_600_000,
              documents: new ClientDocuments({
                allowPrivate: () => engine.webhooks.allowPrivate,
                ca: options.oauthClientCa,
              }),
            }
          : undefined,
        draining: () => draining,
        streams: streams.signal,
        mediaOrigins,
        rateLimit: {
          unauthenticatedPerMinute: env.MME_UNAUTHENTICATED_RATE_LIMIT,
          trustedProxies: new TrustedProxies(env.MME_TRUSTED_PROXIES),
        },
        metrics: env.MME_METRICS_PORT === undefined && { token: env.MME_METRICS_TOKEN },
        accounts: {
          signup: env.MME_SIGNUP,
          sessionTtlMs: env.MME_SESSION_TTL_HOURS * 3_600_000,
          loginFailuresPerMinute: env.MME_LOGIN_RATE_LIMIT,
          signupsPerHour: env.MME_SIGNUP_RATE_LIMIT,
        },
      });
      // The node server's bindings (the socket, for the client address) go through to the app.
      listener.serve((request, bindings) => app.fetch(request, bindings as never));
      // With no public URL set, asset links in webhooks point at this process (its port is known only now).
      if (!env.MME_PUBLIC_URL) engine.webhooks.publicUrl = url;
    }
  } catch (error) {
    patience.abort();
    await mcp?.close().catch(() => {});
    await sse?.close().catch(() => {});
    await listener?.close().catch(() => {});
    await sessionCloses?.stop().catch(() => {});
    await jobEvents?.stop().catch(() => {});
    await metricsListener?.close().catch(() => {});
    await keyChanges?.stop().catch(() => {});
    await worker?.stop().catch(() => {});
    await queuePool?.end().catch(() => {});
    await watch.stop();
    await close().catch(() => {});
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    engine,
    url,
    mcp,
    metricsUrl: metricsListener && `http://${host}:${metricsListener.port}`,
    databaseUrl,
    stop: () => {
      stopping ??= (async () => {
        // Load balancers see /readyz fail and stop sending here; meanwhile every request is still served.
        draining = true;
        if (listener && env.MME_SHUTDOWN_DRAIN_SECONDS > 0) {
          log.info(
            `draining: /readyz answers 503 for ${env.MME_SHUTDOWN_DRAIN_SECONDS} s before HTTP closes`,
          );
          await new Promise((r) => setTimeout(r, env.MME_SHUTDOWN_DRAIN_SECONDS * 1000));
        }
        // While the database is away (now, or from any moment of the stop on) the queue stops waiting for it: a stop
        // must not hang on the database. Its workers see their failed polls before they are told to stop.
        const giveUp = watch.whenDown().then(async () => {
          patience.abort();
          if (queuePool) await connectsSettled(queuePool);
        });
        if (!watch.up) await giveUp;
        // Each step runs even if one before it failed: a stop during an outage must still close the pools and
        // stop Postgres. What could not be written then is the other processes' recovery to clean up.
        let failure: unknown;
        let databaseAway = false;
        const step = async (work: () => Promise<unknown> | undefined) => {
          try {
            await work();
          } catch (error) {
            if (isConnectionError(error)) databaseAway = true;
            else failure ??= error;
          }
        };
        // Open MCP and live streams would hold the HTTP server open: end them first. Calls being answered may
        // finish within the grace; the sessions stay open for the other API processes.
        streams.abort();
        await step(() => mcp?.close(env.MME_SHUTDOWN_GRACE_SECONDS * 1000));
        await step(() => sse?.close());
        await step(() => listener?.close());
        await step(() => sessionCloses?.stop());
        await step(() => jobEvents?.stop());
        await step(() => metricsListener?.close());
        await step(() => keyChanges?.stop());
        await step(() => worker?.stop());
        await step(() => queuePool?.end());
        await step(() => watch.stop());
        await step(close);
        if (databaseAway)
          log.warn(
            "stopped while the database was away: this process's jobs are released by another worker's recovery once it is back",
          );
        if (failure) throw failure;
      })();
      return stopping;
    },
  };
}
