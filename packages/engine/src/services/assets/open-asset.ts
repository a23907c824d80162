import type { Readable } from "node:stream";
import { AppError } from "@mcpmediaengine/contract";
import type { ByteRange } from "../../assets/store";
import type { EngineContext } from "../../context";
import { findAsset } from "../../repositories/assets";
import { expiredAsset, fromStoreError } from "./store-errors";

export interface AssetDownload {
  sha256: string;
  mimeType: string;
  bytes: number;
  extension: string;
  /** With presigned delivery, the store's own URL for the object: the download redirects there. */
  redirectTo?: string;
}

/**
 * How long a presigned URL made for a redirect stays valid. Each download through our signed URL makes a new one,
 * so it only has to outlast the client following the redirect (and a video player seeking in what it fetched).
 */
export const PRESIGNED_URL_LIFETIME_SECONDS = 3600;

/**
 * Finds the asset a signed URL names. The signature stands in for the API key, so a wrong, missing or expired
 * signature answers exactly like a missing asset: nothing is learned about which ids exist. A validly signed
 * asset that retention has deleted is 410 asset_expired.
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
  if (asset.deleted_at) throw expiredAsset(asset.deleted_at);
  const download: AssetDownload = {
    sha256: asset.sha256,
    mimeType: asset.mime_type,
    bytes: asset.bytes,
    extension: asset.extension,
  };
  if (ctx.assetDelivery === "presigned") {
    const url = await ctx.assets
      .presignedUrl(asset.sha256, {
        lifetimeSeconds: PRESIGNED_URL_LIFETIME_SECONDS,
        contentType: asset.mime_type,
      })
      .catch(fromStoreError);
    if (url) download.redirectTo = url;
  }
  return download;
}

/** The bytes of an opened asset (a range of them), from the store; a store that does not answer is 503. */
export function streamAsset(args: {
  ctx: EngineContext;
  asset: AssetDownload;
  range?: ByteRange;
}): Promise<Readable> {
  return args.ctx.assets.read(args.asset.sha256, args.range).catch(fromStoreError);
}
