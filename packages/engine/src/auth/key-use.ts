import type { Database } from "@mcpmediaengine/db";
import type { Kysely } from "kysely";
import { touchKeyUse } from "../repositories/api-keys";

/**
 * Writes api_keys.last_used_at at most once a minute per key and process, after the request has been let through
 * and without waiting for it: a request never waits on this write, and a lost write (the database away) costs only
 * a slightly older timestamp.
 */
export class KeyUseRecorder {
  private readonly written = new Map<string, number>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly everyMs = 60_000,
    private readonly maxEntries = 10_000,
  ) {}

  /** The write when one was due (awaited by tests only), else undefined. */
  record(keyId: string, now = Date.now()): Promise<void> | undefined {
    const last = this.written.get(keyId);
    if (last !== undefined && now - last < this.everyMs) return undefined;
    // Maps iterate in insertion order: the first entry is the one written longest ago.
    if (last === undefined && this.written.size >= this.maxEntries)
      this.written.delete(this.written.keys().next().value as string);
    this.written.delete(keyId);
    this.written.set(keyId, now);
    return touchKeyUse(this.db, keyId).catch(() => {});
  }
}
