import { buffer } from "node:stream/consumers";
import { AppError } from "@mcpmediaengine/contract";
import type { Caller, EngineContext } from "../../context";
import { findAccountAsset } from "../../repositories/assets";
import { expiredAsset, fromStoreError } from "./store-errors";

export interface AssetContent {
  assetId: string;
  jobId: string;
  mimeType: string;
  extension: string;
  data: Buffer;
  width: number | null;
  height: number | null;
}

/** The bytes of one of the caller's assets (for MCP's resources/read and previews); another account's is 404. */
export async function readAsset(args: {
  ctx: EngineContext;
  caller: Caller;
  input: { assetId: string };
}): Promise<AssetContent> {
  const { ctx, caller, input } = args;
  const asset = await findAccountAsset(ctx.db, caller.accountId, input.assetId);
  if (!asset) throw new AppError("not_found", `No asset ${input.assetId}.`);
  if (asset.deleted_at) throw expiredAsset(asset.deleted_at);
  const stream = await ctx.assets.read(asset.sha256).catch(fromStoreError);
  return {
    assetId: asset.id,
    jobId: asset.job_id,
    mimeType: asset.mime_type,
    extension: asset.extension,
    data: await buffer(stream).catch(fromStoreError),
    width: asset.width,
    height: asset.height,
  };
}
