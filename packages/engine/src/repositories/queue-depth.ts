import type { Database } from "@mcpmediaengine/db";
import { type Kysely, sql } from "kysely";
import type { QueueDepth } from "../observe/metrics";
import { TASKS } from "../queue/tasks";

/**
 * The queue's entries now, by task: what every replica reports as the queue depth. It reads graphile-worker's
 * table of pending entries (small: finished entries are deleted), never the jobs table, which keeps every job.
 * An entry whose starts are spent is dead and counted nowhere.
 */
export async function readQueueDepth(db: Kysely<Database>): Promise<QueueDepth[]> {
  const { rows } = await sql<{
    task: string;
    ready: number;
    delayed: number;
    running: number;
    oldest: number;
  }>`
    select task_identifier as task,
      count(*) filter (where locked_at is null and run_at <= now() and attempts < max_attempts)::int as ready,
      count(*) filter (where locked_at is null and run_at > now() and attempts < max_attempts)::int as delayed,
      count(*) filter (where locked_at is not null)::int as running,
      coalesce(extract(epoch from now() - min(run_at)
        filter (where locked_at is null and run_at <= now() and attempts < max_attempts)), 0)::float8 as oldest
    from graphile_worker.jobs
    group by task_identifier`.execute(db);
  const byTask = new Map<QueueDepth["task"], QueueDepth>(
    (["generate", "webhook", "other"] as const).map((task) => [
      task,
      { task, ready: 0, delayed: 0, running: 0, oldestReadySeconds: 0 },
    ]),
  );
  for (const row of rows) {
    const depth = byTask.get(
      row.task === TASKS.generate ? "generate" : row.task === TASKS.webhook ? "webhook" : "other",
    )!;
    depth.ready += row.ready;
    depth.delayed += row.delayed;
    depth.running += row.running;
    depth.oldestReadySeconds = Math.max(depth.oldestReadySeconds, row.oldest);
  }
  return [...byTask.values()];
}
