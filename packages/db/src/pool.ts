import { setMaxListeners } from "node:events";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { isConnectionError } from "./connection-errors";
import type { Database } from "./types";

// bigint columns (asset sizes, counts) fit in a double; return them as numbers, not strings.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));

export interface PoolOptions {
  connectionString: string;
  max?: number;
  /** Where pool errors go; without a handler an idle client's error (Postgres shutting down) kills the process. */
  onError?: (error: Error) => void;
  /**
   * How long taking a new connection may take before it fails; 5 s unless given. During an outage a request fails
   * fast (and is answered 503) instead of hanging on a database that does not answer.
   */
  connectTimeoutMs?: number;
  /**
   * While the database cannot be reached, `connect()` waits and tries again with backoff instead of failing, until
   * it is back. For the job queue, whose library treats a failed connection as fatal; never for the pool that
   * answers API requests. Abort the signal when the process stops while the database is away: waiting calls then
   * fail with their connection error, and later ones fail at once without trying (see `connectsSettled`).
   */
  waitWhileDown?: { signal: AbortSignal; maxDelayMs?: number };
}

type ConnectCallback = (
  err: Error | undefined,
  client: pg.PoolClient | undefined,
  done: (release?: unknown) => void,
) => void;

/** A pool that, while the database is down, waits for it in `connect()` (see PoolOptions.waitWhileDown). */
class PatientPool extends pg.Pool {
  readonly pending = new Set<Promise<unknown>>();
  private lastError: unknown;

  constructor(
    config: pg.PoolConfig,
    private readonly patience: { signal: AbortSignal; maxDelayMs?: number },
  ) {
    super(config);
    // Every connect() waiting out an outage listens to the signal.
    setMaxListeners(0, patience.signal);
  }

  override connect(): Promise<pg.PoolClient>;
  override connect(callback: ConnectCallback): void;
  override connect(callback?: ConnectCallback): Promise<pg.PoolClient> | undefined {
    const connecting = this.connectPatiently();
    const settled = connecting.then(
      () => {},
      () => {},
    );
    this.pending.add(settled);
    void settled.then(() => this.pending.delete(settled));
    if (!callback) return connecting;
    connecting.then(
      (client) => callback(undefined, client, (release) => client.release(release as boolean | Error)),
      (error: Error) => callback(error, undefined, () => {}),
    );
    return undefined;
  }

  private async connectPatiently(): Promise<pg.PoolClient> {
    const { signal, maxDelayMs = 5000 } = this.patience;
    // Once the process stops during an outage, fail at once and with an error nobody retries (graphile-worker
    // retries 57P03, "shutting down", for minutes): a stop must not wait for the database.
    if (signal.aborted && this.lastError) throw stopping(this.lastError);
    for (let delay = 250; ; delay = Math.min(delay * 2, maxDelayMs)) {
      try {
        return await super.connect();
      } catch (error) {
        if (!isConnectionError(error)) throw error;
        this.lastError = error;
        if (signal.aborted || this.ending) throw stopping(error);
        await abortableSleep(delay * (0.75 + Math.random() / 2), signal);
        if (signal.aborted) throw stopping(error);
      }
    }
  }
}

/** A connection failure (SQLSTATE 08006) that says the process gave up waiting because it is stopping. */
function stopping(cause: unknown): Error {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return Object.assign(new Error(`the database is unavailable (${reason}) and this process is stopping`), {
    code: "08006",
    cause,
  });
}

export function createPool(options: PoolOptions): pg.Pool {
  const config: pg.PoolConfig = {
    connectionString: options.connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
  };
  const pool = options.waitWhileDown ? new PatientPool(config, options.waitWhileDown) : new pg.Pool(config);
  const onError = options.onError ?? (() => {});
  pool.on("error", onError);
  pool.on("connect", (client) => client.on("error", onError));
  return pool;
}

/**
 * Resolves when no `connect()` of a waiting pool is under way any more (after its signal aborted), and what they
 * failed has been handled: the job queue's workers then see their failed poll before they are told to stop.
 */
export async function connectsSettled(pool: pg.Pool): Promise<void> {
  if (pool instanceof PatientPool) await Promise.all([...pool.pending]);
  await new Promise((resolve) => setImmediate(resolve));
}

export function createDb(pool: pg.Pool): Kysely<Database> {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
