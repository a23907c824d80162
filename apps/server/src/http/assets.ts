import { Readable } from "node:stream";
import { AppError } from "@mcpmediaengine/contract";
import { type EngineContext, openAsset, streamAsset } from "@mcpmediaengine/engine";

const ASSET_FILE = /^(ast_[0-9a-z]{24})\.([a-z0-9]{1,8})$/;

/**
 * Serves an asset from its signed URL, with ETag (the SHA-256), Content-Length, conditional requests and single
 * byte ranges, so video players can seek and caches can revalidate; or, with presigned delivery, redirects to the
 * store's own URL. A deleted asset is 410 asset_expired; a store that does not answer, 503.
 */
export async function serveAsset(ctx: EngineContext, request: Request, file: string): Promise<Response> {
  const match = ASSET_FILE.exec(file);
  if (!match) throw new AppError("not_found", "No such asset, or the link has expired.");
  const url = new URL(request.url);
  const asset = await openAsset({
    ctx,
    input: {
      assetId: match[1]!,
      sig: url.searchParams.get("sig") ?? undefined,
      expires: url.searchParams.get("expires") ?? undefined,
    },
  });
  if (asset.extension !== match[2])
    throw new AppError("not_found", "No such asset, or the link has expired.");
  const etag = `"${asset.sha256}"`;
  const headers: Record<string, string> = {
    "content-type": asset.mimeType,
    etag,
    "accept-ranges": "bytes",
    "cache-control": url.searchParams.has("expires")
      ? "private, max-age=3600"
      : "public, max-age=31536000, immutable",
    "x-content-type-options": "nosniff",
  };
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  // Presigned delivery: the store serves the bytes (ranges included); each visit gets a fresh presigned URL, so the
  // redirect itself is not kept. HEAD is answered here, since a presigned URL is signed for GET alone.
  if (asset.redirectTo && request.method === "GET") {
    return new Response(null, {
      status: 302,
      headers: {
        location: asset.redirectTo,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  }

  const range = parseRange(request.headers.get("range"), asset.bytes);
  if (range === "unsatisfiable") {
    return new Response(null, {
      status: 416,
      headers: { ...headers, "content-range": `bytes */${asset.bytes}` },
    });
  }
  const slice = range ?? { start: 0, end: asset.bytes - 1 };
  const length = asset.bytes === 0 ? 0 : slice.end - slice.start + 1;
  headers["content-length"] = String(length);
  if (range) headers["content-range"] = `bytes ${slice.start}-${slice.end}/${asset.bytes}`;
  const body =
    request.method === "HEAD" || length === 0
      ? null
      : (Readable.toWeb(await streamAsset({ ctx, asset, range: slice })) as ReadableStream<Uint8Array>);
  return new Response(body, { status: range ? 206 : 200, headers });
}

/** One `bytes=a-b`, `bytes=a-` or `bytes=-n` range; several ranges or a malformed header mean the whole file. */
export function parseRange(
  header: string | null,
  size: number,
): { start: number; end: number } | "unsatisfiable" | undefined {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (m[1] === "" && m[2] === "")) return undefined;
  let start: number;
  let end: number;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0) return "unsatisfiable";
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return "unsatisfiable";
  return { start, end };
}
