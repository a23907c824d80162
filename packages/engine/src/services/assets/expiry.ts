import type { AssetRow } from "@mcpmediaengine/db";
import type { EngineContext } from "../../context";

/**
 * When the asset is (or was) deleted: when retention deleted it, else its age limit under the current retention
 * setting, which the retention task applies; undefined while retention is off and the asset is kept.
 */
export function assetExpiry(
  ctx: EngineContext,
  asset: Pick<AssetRow, "created_at" | "deleted_at">,
): Date | undefined {
  if (asset.deleted_at) return asset.deleted_at;
  if (ctx.assetRetentionMs === undefined) return undefined;
  return new Date(asset.created_at.getTime() + ctx.assetRetentionMs);
}
