import pg from "pg";

export interface DatabaseWatchOptions {
  connectionString: string;
  log: { info(message: string): void; warn(message: string): void };
  /** How often the open connection is asked `select 1` while all is well; 5 s unless given. */
  probeEveryMs?: number;
  /** Longest wait between reconnection attempts while the database is away; 5 s unless given. */
  maxDelayMs?: number;
}

/**
 * One connection of its own that tells when the database goes away and when it is back, so a process says so in
 * exactly two log lines however long the outage (every other part of the process stays quiet about it). The
 * connection notices a lost server at once (its socket closes); a periodic `select 1` catches a silent one.
 */
export class DatabaseWatch {
  private client: pg.Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lostAt: number | undefined;
  private stopped = false;
  private delay = 250;
  private waiting: (() => void)[] = [];
  private losing: (() => void)[] = [];

  constructor(private readonly options: DatabaseWatchOptions) {}

  /** False from the moment the connection is lost until a new one is made. */
  get up(): boolean {
    return this.lostAt === undefined;
  }

  /** Resolves at once while the database is up; while it is away, when it is back or the signal aborts. */
  whenUp(signal?: AbortSignal): Promise<void> {
    if (this.up || this.stopped || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        signal?.removeEventListener("abort", done);
        this.waiting = this.waiting.filter((w) => w !== done);
        resolve();
      };
      this.waiting.push(done);
      signal?.addEventListener("abort", done, { once: true });
    });
  }

  /** Resolves when the database is found lost (at once if it is), or the watch stops. */
  whenDown(): Promise<void> {
    if (!this.up || this.stopped) return Promise.resolve();
    return new Promise((resolve) => this.losing.push(resolve));
  }

  start(): void {
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const done of [...this.waiting]) done();
    for (const done of this.losing.splice(0)) done();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }

  private connect(): void {
    if (this.stopped) return;
    const probeEveryMs = this.options.probeEveryMs ?? 5000;
    const client = new pg.Client({
      connectionString: this.options.connectionString,
      connectionTimeoutMillis: 5000,
      query_timeout: Math.max(probeEveryMs, 5000),
    });
    const dropped = (reason: unknown) => {
      if (this.client !== client) return;
      this.client = undefined;
      clearTimeout(this.timer);
      client.end().catch(() => {});
      this.lost(reason);
    };
    client.on("error", dropped);
    client.on("end", () => dropped(new Error("the connection was closed")));
    client.connect().then(
      () => {
        if (this.stopped) {
          client.end().catch(() => {});
          return;
        }
        this.client = client;
        this.back();
        const probe = () => {
          this.timer = setTimeout(() => {
            client.query("select 1").then(probe, dropped);
          }, probeEveryMs);
          this.timer.unref();
        };
        probe();
      },
      (error: unknown) => {
        client.end().catch(() => {});
        this.lost(error);
      },
    );
  }

  private lost(reason: unknown): void {
    if (this.stopped) return;
    if (this.lostAt === undefined) {
      this.lostAt = Date.now();
      const why = reason instanceof Error ? reason.message : String(reason);
      this.options.log.warn(
        `database lost (${why}); reconnecting with backoff, and answering 503 service_unavailable until it is back`,
      );
      for (const done of this.losing.splice(0)) done();
    }
    const maxDelayMs = this.options.maxDelayMs ?? 5000;
    this.timer = setTimeout(() => this.connect(), this.delay * (0.75 + Math.random() / 2));
    this.timer.unref();
    this.delay = Math.min(this.delay * 2, maxDelayMs);
  }

  private back(): void {
    this.delay = 250;
    if (this.lostAt === undefined) return;
    const seconds = ((Date.now() - this.lostAt) / 1000).toFixed(1);
    this.lostAt = undefined;
    this.options.log.info(`database is back after ${seconds} s`);
    for (const done of [...this.waiting]) done();
  }
}
