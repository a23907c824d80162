import {
  AppError,
  CreateUploadRequest,
  newId,
  parseRequest,
  UPLOAD_LIMITS,
  type Upload,
} from "@mcpmediaengine/contract";
import type { UploadRow } from "@mcpmediaengine/db";
import { probeImage } from "@mcpmediaengine/media";
import type { Caller, EngineContext } from "../../context";
import { insertUpload } from "../../repositories/uploads";
import { holdStoredFiles } from "../../worker/store-files";
import { fetchImage, tooLarge } from "./fetch-image";
import { presentUpload } from "./present";

/** What an upload is made from: the bytes sent (raw, multipart or base64), or a URL fetched once. */
export type UploadSource = { data: Buffer } | { url: string };

/**
 * Keeps an image for the account: checks it is a PNG, JPEG or WebP by its bytes (415 otherwise), at most 20 MB
 * (413) and of a size we can use (422 `unsupported_input`), stores it through the asset store and records it.
 */
export async function createUpload(args: {
  ctx: EngineContext;
  caller: Caller;
  input: UploadSource | CreateUploadRequest;
}): Promise<Upload> {
  return presentUpload(await storeUpload(args.ctx, args.caller.accountId, sourceOf(args.input)));
}

function sourceOf(input: UploadSource | CreateUploadRequest): UploadSource {
  if ("data" in input && Buffer.isBuffer(input.data)) return { data: input.data };
  const request = parseRequest(CreateUploadRequest, input);
  return request.url !== undefined ? { url: request.url } : { data: Buffer.from(request.data!, "base64") };
}

/** Stores the image and its row; the object is held shared meanwhile, so retention cannot delete it under us. */
export async function storeUpload(
  ctx: EngineContext,
  accountId: string,
  source: UploadSource,
): Promise<UploadRow> {
  const sourceUrl = "url" in source ? source.url : null;
  const data = "url" in source ? await fetchImage(source.url, ctx.webhooks.allowPrivate) : source.data;
  if (data.length > UPLOAD_LIMITS.maxBytes) throw tooLarge();
  if (data.length === 0) throw new AppError("invalid_request", "The image is empty.");
  const probe = await probeImage(data);
  if (!probe)
    throw new AppError(
      "unsupported_media_type",
      `${sourceUrl ? `The image at ${sourceUrl.slice(0, 200)}` : "The upload"} is not a readable PNG, JPEG or WebP image.`,
      { accepted: UPLOAD_LIMITS.mimeTypes },
    );
  const { width, height, mimeType } = probe;
  const { minSide, maxSide, maxPixels } = UPLOAD_LIMITS;
  if (Math.min(width, height) < minSide || Math.max(width, height) > maxSide || width * height > maxPixels)
    throw new AppError(
      "unsupported_input",
      `The image is ${width}×${height}; images from ${minSide} to ${maxSide} px a side and at most ${maxPixels / 1e6} megapixels are taken.`,
      { width, height, minSide, maxSide, maxPixels },
    );
  const file = { data, mimeType, extension: mimeType.slice(6) };
  const stored = await ctx.assets.put(data, { contentType: mimeType });
  return ctx.db.transaction().execute(async (trx) => {
    await holdStoredFiles(trx, ctx, [file], [stored]);
    return insertUpload(trx, {
      id: newId("upload"),
      accountId,
      sha256: stored.sha256,
      mimeType,
      bytes: stored.bytes,
      width,
      height,
      sourceUrl,
    });
  });
}
