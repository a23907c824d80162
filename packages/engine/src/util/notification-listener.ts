import { isConnectionError } from "@mcpmediaengine/db";
import pg from "pg";
import type { Log } from "../logger";

export interface NotificationListener {
  stop(): Promise<void>;
}

export interface NotificationListenerOptions {
  connectionString: string;
  log: Log;
  /** What listens, for the log: "key change listener". */
  name: string;
  /** What goes without it, for the log: "key cache off". */
  meanwhile: string;
  /** The handler of each channel's payloads. */
  channels: Record<string, (payload: string) => void>;
  /** The connection is up and listening: from now on no notification is missed. */
  onUp?(): void;
  /** The connection is down (or the listener stopped): notifications may be missed until the next onUp. */
  onDown?(): void;
}

/**
 * Keeps one connection LISTENing on some channels and hands each notification to its channel's handler. When the
 * connection drops it says so (onDown) and reconnects with backoff, however long the database is away. A lost
 * database is the process's DatabaseWatch's to report: this stays quiet about it (debug).
 */
export async function listenForNotifications(
  options: NotificationListenerOptions,
): Promise<NotificationListener> {
  const { log, name, meanwhile } = options;
  let client: pg.Client | undefined;
  let stopped = false;
  let retryMs = 500;
  let timer: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: options.connectionString, connectionTimeoutMillis: 5000 });
    next.on("notification", (message) => {
      if (message.payload === undefined) return;
      options.channels[message.channel]?.(message.payload);
    });
    next.on("error", (error) => {
      if (client !== next) return;
      (isConnectionError(error) ? log.debug : log.warn)(
        `${name} lost its connection; ${meanwhile} until it is back`,
        {
          error: error.message,
        },
      );
      lost(next);
    });
    next.on("end", () => lost(next));
    try {
      await next.connect();
      for (const channel of Object.keys(options.channels)) await next.query(`listen ${channel}`);
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
    options.onUp?.();
  };

  const lost = (which: pg.Client) => {
    if (client !== which) return;
    client = undefined;
    options.onDown?.();
    which.end().catch(() => {});
    schedule();
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      connect().catch(() => {
        // Capped low: what depends on the listener waits for it, so it should not lag the database's return.
        retryMs = Math.min(retryMs * 2, 5000);
        schedule();
      });
    }, retryMs);
    timer.unref();
  };

  try {
    await connect();
  } catch (error) {
    (isConnectionError(error) ? log.debug : log.warn)(`${name} could not connect; ${meanwhile}`, {
      error: String(error),
    });
    schedule();
  }

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      options.onDown?.();
      const current = client;
      client = undefined;
      await current?.end().catch(() => {});
    },
  };
}
