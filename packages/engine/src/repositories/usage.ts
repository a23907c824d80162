import type { Database } from "@mcpmediaengine/db";
import { type Kysely, type RawBuilder, sql } from "kysely";

export type UsageDimension = "day" | "model" | "type";

export interface UsageGroup {
  day: string | null;
  model: string | null;
  type: "image" | "video" | "audio" | null;
  spent: number;
  completed: number;
  failed: number;
  canceled: number;
}

const COLUMN: Record<UsageDimension, RawBuilder<string>> = {
  day: sql<string>`to_char(completed_at at time zone 'UTC', 'YYYY-MM-DD')`,
  model: sql<string>`model`,
  type: sql<string>`type`,
};

/**
 * An account's jobs that ended in [from, to), grouped by the given dimensions (the UTC day they ended, the model
 * asked for, the media type): what the completed ones cost, and how many ended each way. Ended jobs are the ones
 * with completed_at, which the statement that ends a job sets.
 */
export async function usageGroups(
  db: Kysely<Database>,
  accountId: string,
  from: Date,
  to: Date,
  dimensions: UsageDimension[],
): Promise<UsageGroup[]> {
  const select = (d: UsageDimension) =>
    dimensions.includes(d) ? sql`${COLUMN[d]} as ${sql.ref(d)}` : sql`null as ${sql.ref(d)}`;
  const groupBy = dimensions.length > 0 ? sql`group by ${sql.join(dimensions.map((d) => COLUMN[d]))}` : sql``;
  const result = await sql<{
    day: string | null;
    model: string | null;
    type: UsageGroup["type"];
    spent: string;
    completed: string;
    failed: string;
    canceled: string;
  }>`
    select ${select("day")}, ${select("model")}, ${select("type")},
      coalesce(sum(cost_credits) filter (where status = 'completed'), 0) as spent,
      count(*) filter (where status = 'completed') as completed,
      count(*) filter (where status = 'failed') as failed,
      count(*) filter (where status = 'canceled') as canceled
    from jobs
    where account_id = ${accountId} and completed_at >= ${from} and completed_at < ${to}
    ${groupBy}`.execute(db);
  return result.rows.map((r) => ({
    day: r.day,
    model: r.model,
    type: r.type,
    spent: Number(r.spent),
    completed: Number(r.completed),
    failed: Number(r.failed),
    canceled: Number(r.canceled),
  }));
}
