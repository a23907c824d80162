import {
  AppError,
  type ImageSource,
  type InputImageRef,
  isId,
  type JobRequest,
} from "@mcpmediaengine/contract";
import type { UploadRow } from "@mcpmediaengine/db";
import type { EngineContext } from "../../context";
import { findUploads } from "../../repositories/uploads";
import { storeUpload } from "../uploads/create";
import { inputImageRef } from "../uploads/present";

/** A request's images as the job keeps them: every URL fetched and kept as an upload, every upload found. */
export interface ResolvedImages {
  inputImages?: InputImageRef[];
  mask?: InputImageRef;
  inputImage?: InputImageRef;
}

/** The images a request names, in order: image jobs' inputImages then mask, or a video job's inputImage. */
function sourcesOf(request: JobRequest): ImageSource[] {
  if (request.type === "image")
    return [...(request.inputImages ?? []), ...(request.mask ? [request.mask] : [])];
  if (request.type === "video") return request.inputImage ? [request.inputImage] : [];
  return [];
}

/**
 * Finds the account's uploads the request names (another account's upload is 404 `not_found`, as if it were
 * not there) and fetches each URL once, keeping it as an upload, so the job's stored input names only uploads and
 * reproduces its bytes. A mask must be a PNG the size of the first input image.
 */
export async function resolveInputImages(
  ctx: EngineContext,
  accountId: string,
  request: JobRequest,
): Promise<ResolvedImages> {
  const sources = sourcesOf(request);
  if (sources.length === 0) return {};
  const ids = sources.filter((s) => isId("upload", s));
  const found = new Map((await findUploads(ctx.db, accountId, ids)).map((row) => [row.id, row]));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0)
    throw new AppError("not_found", `No upload ${missing.join(", ")}. Upload images with POST /v1/uploads.`, {
      uploadIds: missing,
    });
  const rows: UploadRow[] = await Promise.all(
    sources.map((source) => found.get(source) ?? storeUpload(ctx, accountId, { url: source })),
  );
  const refs = rows.map(inputImageRef);
  if (request.type === "video") return { inputImage: refs[0]! };
  if (request.type !== "image") return {};
  const inputImages = refs.slice(0, request.inputImages?.length ?? 0);
  const mask = request.mask ? refs[refs.length - 1] : undefined;
  if (mask) {
    const first = inputImages[0]!;
    if (mask.mimeType !== "image/png")
      throw new AppError(
        "unsupported_input",
        "A mask must be a PNG: its transparent pixels mark what may change.",
      );
    if (mask.width !== first.width || mask.height !== first.height)
      throw new AppError(
        "unsupported_input",
        `The mask is ${mask.width}×${mask.height}; it must be the first input image's size, ${first.width}×${first.height}.`,
      );
  }
  return { inputImages, ...(mask && { mask }) };
}
