import type { Log } from "../logger";
import { listenForNotifications, type NotificationListener } from "../util/notification-listener";
import type { ApiKeyCache } from "./key-cache";

export type KeyChangeListener = NotificationListener;

/**
 * Drops each changed key from the cache (migration 0003 notifies on every update or delete of a key). The cache
 * is enabled only while the listening connection is up: when it drops, the cache is disabled at once, until the
 * listener has reconnected.
 */
export function listenForKeyChanges(options: {
  connectionString: string;
  cache: ApiKeyCache;
  log: Log;
}): Promise<KeyChangeListener> {
  const { cache } = options;
  return listenForNotifications({
    connectionString: options.connectionString,
    log: options.log,
    name: "key change listener",
    meanwhile: "key cache off",
    channels: {
      // "*": an account's plan or limits changed (migration 0005), and cached keys carry them.
      mme_api_key_changed: (payload) => (payload === "*" ? cache.clear() : cache.delete(payload)),
    },
    onUp: () => cache.enable(),
    onDown: () => cache.disable(),
  });
}
