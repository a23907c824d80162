import { AppError } from "@mcpmediaengine/contract";
import type { EngineContext } from "../../context";
import { findAsset } from "../../repositories/assets";

export interface AssetDownload {
  sha256: string;
  mimeType: string;
  bytes: number;
  extension: string;
}

/**
 * Finds the asset a signed URL names. The signature stands in for the API key, so a wrong, missing or expired
 * signature answers exactly like a missing asset: nothing is learned about which ids exist.
 */
export async function openAsset(args: {
  ctx: EngineContext;
  input: { assetId: string; sig?: string; expires?: string };
}): Promise<AssetDownload> {
  const { ctx, input } = args;
  const notFound = new AppError("not_found", "No such asset, or the link has expired.");
  if (!ctx.urls.verify(input.assetId, input.sig, input.expires)) throw notFound;
  const asset = await findAsset(ctx.db, input.assetId);
  if (!asset) throw notFound;
  return { sha256: asset.sha256, mimeType: asset.mime_type, bytes: asset.bytes, extension: asset.extension };
}
