import { isConnectionError } from "@mcpmediaengine/db";
import pg from "pg";
import type { Log } from "../logger";
import type { ApiKeyCache } from "./key-cache";

const CHANNEL = "mme_api_key_changed";

export interface KeyChangeListener {
  stop(): Promise<void>;
}

/**
 * Keeps one connection LISTENing for key changes (migration 0003 notifies on every update or delete of a key) and
 * drops each changed key from the cache. The cache is enabled only while the connection is up; when it drops,
 * the cache is disabled at once and the listener reconnects with backoff, however long the database is away. A lost
 * database is the process's DatabaseWatch's to report: this stays quiet about it (debug).
 */
export async function listenForKeyChanges(options: {
  connectionString: string;
  cache: ApiKeyCache;
  log: Log;
}): Promise<KeyChangeListener> {
  const { cache, log } = options;
  let client: pg.Client | undefined;
  let stopped = false;
  let retryMs = 500;
  let timer: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: options.connectionString, connectionTimeoutMillis: 5000 });
    next.on("notification", (message) => {
      if (message.channel !== CHANNEL || !message.payload) return;
      // "*": an account's plan or limits changed (migration 0005), and cached keys carry them.
      if (message.payload === "*") cache.clear();
      else cache.delete(message.payload);
    });
    next.on("error", (error) => {
      if (client !== next) return;
      (isConnectionError(error) ? log.debug : log.warn)(
        "key change listener lost its connection; key cache off until it is back",
        { error: error.message },
      );
      lost(next);
    });
    next.on("end", () => lost(next));
    try {
      await next.connect();
      await next.query(`listen ${CHANNEL}`);
    } catch (error) {
      next.end().catch(() => {});
      throw error;
    }
    if (stopped) {
      await next.end().catch(() => {});
      return;
    }
    client = next;
    retryMs = 500;
    cache.enable();
  };

  const lost = (which: pg.Client) => {
    if (client !== which) return;
    client = undefined;
    cache.disable();
    which.end().catch(() => {});
    schedule();
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      connect().catch(() => {
        // Capped low: the cache stays off until this reconnects, so it should not lag the database's return.
        retryMs = Math.min(retryMs * 2, 5000);
        schedule();
      });
    }, retryMs);
    timer.unref();
  };

  try {
    await connect();
  } catch (error) {
    (isConnectionError(error) ? log.debug : log.warn)(
      "key change listener could not connect; key cache off",
      {
        error: String(error),
      },
    );
    schedule();
  }

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      cache.disable();
      const current = client;
      client = undefined;
      await current?.end().catch(() => {});
    },
  };
}
