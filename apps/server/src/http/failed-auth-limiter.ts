interface Bucket {
  tokens: number;
  at: number;
}

// Where clients go once the table is full of clients still failing: a flood from very many addresses at once then
// shares one allowance instead of growing the table without end.
const OVERFLOW = "*";

/**
 * Requests refused for want of a valid key (or sign-in attempts), per client, as token buckets in this process's
 * memory: a client may fail `allowance` times in a burst, then once more every `windowMs / allowance`. Memory, not
 * Postgres: counting a flood in the database would cost the round trips the limit is there to spare (with several
 * API processes each keeps its own count). A client whose bucket has filled up again is forgotten, so the table
 * holds only clients failing now, at most `maxClients` of them.
 */
export class FailedAuthLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private lastSweep = 0;

  constructor(
    readonly allowance: number,
    private readonly maxClients = 50_000,
    readonly windowMs = 60_000,
  ) {
    this.perMs = allowance / windowMs;
  }

  /** No client has failures on record: the common case, where nobody needs to know the client's address. */
  get empty(): boolean {
    return this.buckets.size === 0;
  }

  /** Seconds until the client may fail again; 0 while it may. */
  waitSeconds(client: string, now = Date.now()): number {
    const own = this.buckets.get(client);
    const bucket = own ?? this.buckets.get(OVERFLOW);
    if (!bucket) return 0;
    const level = this.level(bucket, now);
    if (own && level >= this.allowance) this.buckets.delete(client);
    return this.wait(level);
  }

  /** Counts a failure: 0 when it was within the allowance, else the seconds until the next one is. */
  fail(client: string, now = Date.now()): number {
    const bucket = this.bucketOf(client, now);
    const level = this.level(bucket, now);
    if (level < 1) return this.wait(level);
    bucket.tokens = level - 1;
    bucket.at = now;
    return 0;
  }

  private level(bucket: Bucket, now: number): number {
    return Math.min(this.allowance, bucket.tokens + Math.max(0, now - bucket.at) * this.perMs);
  }

  private wait(level: number): number {
    return level >= 1 ? 0 : Math.max(1, Math.ceil((1 - level) / this.perMs / 1000));
  }

  private bucketOf(client: string, now: number): Bucket {
    const known = this.buckets.get(client);
    if (known) return known;
    // Forget the clients that are full again: once a minute, or at once (at most once a second) when full.
    const full = this.buckets.size >= this.maxClients;
    if (now - this.lastSweep > (full ? 1000 : 60_000)) {
      this.lastSweep = now;
      for (const [key, bucket] of this.buckets) {
        if (this.level(bucket, now) >= this.allowance) this.buckets.delete(key);
      }
    }
    const key = this.buckets.size < this.maxClients ? client : OVERFLOW;
    const bucket = this.buckets.get(key) ?? { tokens: this.allowance, at: now };
    this.buckets.set(key, bucket);
    return bucket;
  }
}
