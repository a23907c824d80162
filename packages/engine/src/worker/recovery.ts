import type { Database } from "@mcpmediaengine/db";
import { type Kysely, sql } from "kysely";

export interface RecoveryOptions {
  /** How often this process records that its workers live. */
  heartbeatMs: number;
  /** A worker silent this long is dead; the jobs it held are released. Several heartbeats long. */
  staleAfterMs: number;
}

/**
 * graphile-worker keeps a crashed worker's jobs locked for four hours. Each process beats for its workers here,
 * and every process sweeps: jobs locked longer than the stale time by a worker with no recent beat are unlocked
 * with graphile-worker's own force_unlock_workers, so they run again within a minute of a kill -9.
 */
export class WorkerRecovery {
  private readonly workerIds = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly processLabel: string,
    private readonly options: RecoveryOptions,
    private readonly onError: (error: unknown) => void,
  ) {}

  add(workerId: string): void {
    this.workerIds.add(workerId);
  }

  start(): void {
    this.timer = setInterval(() => {
      this.running = this.tick().catch(this.onError);
    }, this.options.heartbeatMs);
    this.timer.unref();
    this.running = this.tick().catch(this.onError);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    const ids = [...this.workerIds];
    if (ids.length > 0) await this.db.deleteFrom("worker_heartbeats").where("worker_id", "in", ids).execute();
  }

  async tick(): Promise<void> {
    await this.beat();
    await sweepDeadWorkers(this.db, this.options.staleAfterMs);
  }

  private async beat(): Promise<void> {
    const ids = [...this.workerIds];
    if (ids.length === 0) return;
    await sql`
      insert into worker_heartbeats (worker_id, process_label, last_seen_at)
      select id, ${this.processLabel}, now() from unnest(${ids}::text[]) as id
      on conflict (worker_id) do update set last_seen_at = excluded.last_seen_at`.execute(this.db);
  }
}

/** Unlocks the jobs of workers that stopped beating; returns the ids of the workers released. */
export async function sweepDeadWorkers(db: Kysely<Database>, staleAfterMs: number): Promise<string[]> {
  const stale = `${Math.round(staleAfterMs)} milliseconds`;
  const dead = await sql<{ locked_by: string }>`
    select distinct j.locked_by from graphile_worker.jobs j
    where j.locked_by is not null
      and j.locked_at < now() - ${stale}::interval
      and not exists (
        select 1 from worker_heartbeats h
        where h.worker_id = j.locked_by and h.last_seen_at > now() - ${stale}::interval
      )`.execute(db);
  const ids = dead.rows.map((r) => r.locked_by);
  if (ids.length > 0) {
    await sql`select graphile_worker.force_unlock_workers(${ids}::text[])`.execute(db);
    await db.deleteFrom("worker_heartbeats").where("worker_id", "in", ids).execute();
  }
  return ids;
}
