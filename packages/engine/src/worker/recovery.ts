import type { Database } from "@mcpmediaengine/db";
import { type Kysely, sql } from "kysely";
import type { EngineContext } from "../context";
import { failJob } from "../repositories/job-transitions";
import { afterJobEnded } from "../services/jobs/job-ended";

export interface RecoveryOptions {
  /** How often this process records that its workers live. */
  heartbeatMs: number;
  /** A worker silent this long is dead; the jobs it held are released. Several heartbeats long. */
  staleAfterMs: number;
}

/**
 * graphile-worker keeps a crashed worker's jobs locked for four hours. Each process beats for its workers here,
 * and every process sweeps: jobs locked longer than the stale time by a worker with no recent beat are unlocked
 * with graphile-worker's own force_unlock_workers, so they run again within a minute of a kill -9. The sweep also
 * frees the concurrency slots of runs on dead workers, and fails as `worker_lost` any accepted job that nothing in
 * the queue will run any more (the backstop behind the spare queue start: no job stays processing for ever).
 */
export class WorkerRecovery {
  private readonly workerIds = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: EngineContext,
    private readonly processLabel: string,
    private readonly options: RecoveryOptions,
    private readonly onError: (error: unknown) => void,
  ) {}

  private get db(): Kysely<Database> {
    return this.ctx.db;
  }

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
    await failOrphanedJobs(this.ctx, this.options.staleAfterMs);
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
  }
  // A run on a worker that stopped beating works no more: its slot in its account's concurrency is free. (A fresh
  // claim may precede its worker's first beat, hence the stale time on the job too.)
  await sql`
    update jobs set running_on = null
    where running_on is not null and updated_at < now() - ${stale}::interval
      and not exists (
        select 1 from worker_heartbeats h where h.worker_id = jobs.running_on and h.last_seen_at > now() - ${stale}::interval
      )`.execute(db);
  // Beats of workers long gone, whether or not they held jobs (ten stale times: a paused worker may come back).
  await sql`delete from worker_heartbeats where last_seen_at < now() - ${stale}::interval * 10
    or worker_id = any(${ids}::text[])`.execute(db);
  return ids;
}

/**
 * Accepted jobs that nothing will run any more fail as `worker_lost`, releasing their credits, with their
 * job.failed event: no queue entry holds their key, or the entry is spent (no starts left) and not running.
 */
export async function failOrphanedJobs(ctx: EngineContext, staleAfterMs: number): Promise<string[]> {
  const stale = `${Math.round(staleAfterMs)} milliseconds`;
  const orphans = await sql<{ id: string }>`
    select j.id from jobs j
    where j.status in ('queued', 'processing') and j.updated_at < now() - ${stale}::interval
      and not exists (
        select 1 from graphile_worker.jobs g
        where g.key = j.id and (g.locked_at is not null or g.attempts < g.max_attempts)
      )
    limit 100`.execute(ctx.db);
  const failed: string[] = [];
  for (const { id } of orphans.rows) {
    const ended = await ctx.db.transaction().execute(async (trx) => {
      const row = await failJob(
        trx,
        { jobId: id },
        {
          code: "worker_lost",
          message: "The queue lost track of it (its worker stopped on its last start).",
        },
      );
      if (!row) return undefined;
      await afterJobEnded(trx, ctx, row, "job.failed");
      return row;
    });
    if (!ended) continue;
    ctx.metrics.jobEnded(ended);
    failed.push(id);
  }
  return failed;
}
