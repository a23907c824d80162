import type { Task } from "graphile-worker";
import type { EngineContext } from "../context";
import type { Log } from "../logger";
import { CronPayload } from "../queue/tasks";
import { grantMonthlyCredits } from "../services/credits/monthly-grants";

/** The cron task: grants the month of the scheduled time (not of now, so a backfilled run grants its own month). */
export function createMonthlyGrantsTask(ctx: EngineContext, log: Log): Task {
  return async (rawPayload) => {
    const { _cron } = CronPayload.parse(rawPayload);
    const granted = await grantMonthlyCredits({ ctx, at: new Date(_cron.ts) });
    log.info("monthly grants", { month: _cron.ts.slice(0, 7), accounts: granted });
  };
}
