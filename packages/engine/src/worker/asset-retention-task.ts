import type { Task } from "graphile-worker";
import type { EngineContext } from "../context";
import type { Log } from "../logger";
import { CronPayload } from "../queue/tasks";
import { expireAssets } from "../services/assets/expire-assets";

/** The hourly cron task: deletes assets past MME_ASSET_RETENTION_DAYS, and the objects no live asset refers to. */
export function createAssetRetentionTask(ctx: EngineContext, log: Log): Task {
  return async (rawPayload) => {
    CronPayload.parse(rawPayload);
    const run = await expireAssets({ ctx });
    if (run.expired + run.objectsDeleted + run.objectsFailed > 0) {
      (run.objectsFailed > 0 ? log.warn : log.info)("asset retention", { ...run });
    }
  };
}
