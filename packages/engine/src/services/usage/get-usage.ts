import {
  AppError,
  MAX_USAGE_DAYS,
  type Usage,
  type UsageRequest,
  type UsageRow,
} from "@mcpmediaengine/contract";
import type { Caller, EngineContext } from "../../context";
import { type UsageDimension, type UsageGroup, usageGroups } from "../../repositories/usage";

const DAY_MS = 86_400_000;

/**
 * Credits spent and jobs ended in a span of UTC days, grouped by day, model or type (or day and one of them).
 * A job counts on the day it ended; what it cost counts only if it completed.
 */
export async function getUsage(args: {
  ctx: EngineContext;
  caller: Caller;
  input: UsageRequest;
  now?: Date;
}): Promise<Usage> {
  const { input } = args;
  const to = input.to ? dayStart(input.to) : utcMidnight(args.now ?? new Date());
  const from = input.from ? dayStart(input.from) : new Date(to.getTime() - 29 * DAY_MS);
  const days = (to.getTime() - from.getTime()) / DAY_MS + 1;
  if (days < 1) throw new AppError("invalid_request", "`from` must not be after `to`.", { from: day(from) });
  if (days > MAX_USAGE_DAYS) {
    throw new AppError("invalid_request", `A usage span may cover at most ${MAX_USAGE_DAYS} days.`, { days });
  }
  const dimensions = input.groupBy.split(",") as UsageDimension[];
  const end = new Date(to.getTime() + DAY_MS);
  const groups = await usageGroups(args.ctx.db, args.caller.accountId, from, end, dimensions);
  const rows = groups.map(toRow);
  if (input.groupBy === "day") {
    const byDay = new Map(rows.map((r) => [r.day, r]));
    rows.length = 0;
    for (let t = from.getTime(); t <= to.getTime(); t += DAY_MS) {
      const d = day(new Date(t));
      rows.push(byDay.get(d) ?? { ...toRow(EMPTY), day: d });
    }
  } else {
    rows.sort(
      (a, b) =>
        (a.day ?? "").localeCompare(b.day ?? "") ||
        b.creditsSpent - a.creditsSpent ||
        (a.model ?? a.type ?? "").localeCompare(b.model ?? b.type ?? ""),
    );
  }
  const totals = { creditsSpent: 0, jobsCompleted: 0, jobsFailed: 0, jobsCanceled: 0 };
  for (const r of rows) {
    totals.creditsSpent += r.creditsSpent;
    totals.jobsCompleted += r.jobsCompleted;
    totals.jobsFailed += r.jobsFailed;
    totals.jobsCanceled += r.jobsCanceled;
  }
  return { from: day(from), to: day(to), groupBy: input.groupBy, totals, data: rows };
}

const EMPTY: UsageGroup = {
  day: null,
  model: null,
  type: null,
  spent: 0,
  completed: 0,
  failed: 0,
  canceled: 0,
};

function toRow(g: UsageGroup): UsageRow {
  return {
    day: g.day,
    model: g.model,
    type: g.type,
    creditsSpent: g.spent,
    jobsCompleted: g.completed,
    jobsFailed: g.failed,
    jobsCanceled: g.canceled,
  };
}

const dayStart = (isoDay: string) => new Date(`${isoDay}T00:00:00Z`);
const utcMidnight = (at: Date) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
const day = (at: Date) => at.toISOString().slice(0, 10);
