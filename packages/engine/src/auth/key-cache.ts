import type { Caller } from "../context";

/**
 * Key lookups cached by key hash, so an authenticated request costs no database round trip. Only valid keys are
 * cached (an unknown key always asks the database, so a key created elsewhere works at once), and only while
 * `enable()`d: the cache is on only while this process hears every key change from Postgres (see
 * key-change-listener.ts), which drops a changed key at once; the lifetime bounds what a missed message could cost.
 */
export class ApiKeyCache {
  private readonly entries = new Map<string, { caller: Caller; expiresAt: number }>();
  private enabled = false;
  // Bumped by every invalidation: a lookup that read the database before a change must not cache what it read.
  private epoch = 0;

  constructor(
    private readonly lifetimeMs = 60_000,
    private readonly maxEntries = 10_000,
  ) {}

  get(keyHash: string, now = Date.now()): Caller | undefined {
    if (!this.enabled) return undefined;
    const entry = this.entries.get(keyHash);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(keyHash);
      return undefined;
    }
    return entry.caller;
  }

  /** Take before reading the database; hand to `set`, which ignores the result if a change came in between. */
  ticket(): number {
    return this.epoch;
  }

  set(keyHash: string, caller: Caller, ticket: number, now = Date.now()): void {
    if (!this.enabled || ticket !== this.epoch) return;
    // Maps iterate in insertion order, so the first key is the oldest entry.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(keyHash, { caller, expiresAt: now + this.lifetimeMs });
  }

  /** Forgets every key: an account's plan or limits changed, and entries carry them. */
  clear(): void {
    this.epoch++;
    this.entries.clear();
  }

  delete(keyHash: string): void {
    this.epoch++;
    this.entries.delete(keyHash);
  }

  /** Turned on when the change listener is connected. */
  enable(): void {
    this.epoch++;
    this.entries.clear();
    this.enabled = true;
  }

  /** Turned off (and emptied) the moment the listener loses its connection: changes could be missed. */
  disable(): void {
    this.epoch++;
    this.enabled = false;
    this.entries.clear();
  }
}
