import type { JobStatusColumn } from "@mcpmediaengine/db";
import type { Log } from "../logger";
import { listenForNotifications, type NotificationListener } from "../util/notification-listener";

/** What migration 0017 announces on `mme_job_events`: a job's change, or new jobs of an account. */
export type JobEventNote =
  | {
      kind: "status" | "progress";
      jobId: string;
      accountId: string;
      batchId: string | null;
      seq: number;
      /** The event's id in job_events (one order for all jobs). */
      id: string;
      status: JobStatusColumn;
      progress: number;
      attempts: number;
    }
  | { kind: "created"; accountId: string };

export interface JobEventFilter {
  jobId?: string;
  batchId?: string;
  accountId?: string;
}

export interface JobEventSubscriber {
  /** A change of a job the filter names. Arrives in commit order. */
  onNote(note: JobEventNote): void;
  /** Notifications may have been missed (the connection was down and is back): read the table again. */
  onResync(): void;
}

/**
 * One LISTEN connection per process on `mme_job_events`, fanned out to every open stream of this process by job,
 * batch and account. Works through any replica: the trigger notifies whichever process changed the job, and every
 * process's listener hears it. While the connection is down `up` is false and streams poll the tables instead.
 */
export class JobEventSource {
  private listener: NotificationListener | undefined;
  private connected = false;
  private readonly byKey = new Map<string, Set<JobEventSubscriber>>();

  static async start(options: { connectionString: string; log: Log }): Promise<JobEventSource> {
    const source = new JobEventSource();
    source.listener = await listenForNotifications({
      connectionString: options.connectionString,
      log: options.log,
      name: "job event listener",
      meanwhile: "job streams poll the database",
      channels: { mme_job_events: (payload) => source.dispatch(payload) },
      onUp: () => {
        source.connected = true;
        source.each((s) => s.onResync());
      },
      onDown: () => {
        source.connected = false;
      },
    });
    return source;
  }

  /** True while no notification can be missed. */
  get up(): boolean {
    return this.connected;
  }

  subscribe(filter: JobEventFilter, subscriber: JobEventSubscriber): () => void {
    const keys = [
      filter.jobId && `j:${filter.jobId}`,
      filter.batchId && `b:${filter.batchId}`,
      filter.accountId && `a:${filter.accountId}`,
    ].filter((k): k is string => Boolean(k));
    for (const key of keys) {
      const set = this.byKey.get(key) ?? new Set<JobEventSubscriber>();
      this.byKey.set(key, set);
      set.add(subscriber);
    }
    return () => {
      for (const key of keys) {
        const set = this.byKey.get(key);
        set?.delete(subscriber);
        if (set?.size === 0) this.byKey.delete(key);
      }
    };
  }

  async stop(): Promise<void> {
    await this.listener?.stop();
  }

  /** Hands a notification's payload to its subscribers, as the listener would (tests feed it directly). */
  dispatch(payload: string): void {
    const note = parseNote(payload);
    if (!note) return;
    const targets = new Set<JobEventSubscriber>();
    const add = (key: string) => {
      for (const s of this.byKey.get(key) ?? []) targets.add(s);
    };
    add(`a:${note.accountId}`);
    if (note.kind !== "created") {
      add(`j:${note.jobId}`);
      if (note.batchId) add(`b:${note.batchId}`);
    }
    for (const s of targets) s.onNote(note);
  }

  private each(fn: (s: JobEventSubscriber) => void): void {
    const all = new Set<JobEventSubscriber>();
    for (const set of this.byKey.values()) for (const s of set) all.add(s);
    for (const s of all) fn(s);
  }
}

function parseNote(payload: string): JobEventNote | undefined {
  try {
    const p = JSON.parse(payload) as Record<string, unknown>;
    if (typeof p.a !== "string") return undefined;
    if (p.k === "created") return { kind: "created", accountId: p.a };
    if ((p.k !== "status" && p.k !== "progress") || typeof p.j !== "string") return undefined;
    return {
      kind: p.k,
      jobId: p.j,
      accountId: p.a,
      batchId: typeof p.b === "string" ? p.b : null,
      seq: Number(p.s),
      id: String(p.i),
      status: p.st as JobStatusColumn,
      progress: Number(p.p),
      attempts: Number(p.n),
    };
  } catch {
    return undefined;
  }
}
