import { AppError, UPLOAD_LIMITS } from "@mcpmediaengine/contract";
import { createUpload, type EngineContext } from "@mcpmediaengine/engine";
import type { Context } from "hono";
import { databaseUnavailable } from "../trpc/errors";
import { errorResponse } from "./error-response";
import type { AppEnv } from "./rate-limit";

/** Room for a 20 MB image in base64 JSON (4/3 of it) or a multipart form's framing. */
export const UPLOAD_BODY_LIMIT = Math.ceil((UPLOAD_LIMITS.maxBytes * 4) / 3) + 64 * 1024;

/**
 * POST /v1/uploads with the image's bytes: the raw body (any image/* or application/octet-stream Content-Type:
 * the format is read from the bytes) or a multipart form's `file` field. JSON bodies (`url` or base64 `data`) go
 * on to the REST procedure, which documents them. Runs after the rate limiter, which resolved the caller.
 */
export function uploadBytes(engine: EngineContext, rest: (c: Context<AppEnv>) => Promise<Response>) {
  return async (c: Context<AppEnv>): Promise<Response> => {
    const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (type === "application/json" || type === "") return rest(c);
    const requestId = c.get("requestId");
    const caller = c.get("caller");
    if (!caller) {
      if (c.get("databaseDown")) return errorResponse(databaseUnavailable(), requestId);
      return errorResponse(
        new AppError("unauthorized", "Send your API key as 'Authorization: Bearer <key>'."),
        requestId,
      );
    }
    let data: Buffer;
    if (type === "multipart/form-data") {
      const form = await c.req.raw.formData().catch(() => undefined);
      const file = form?.get("file");
      if (!file || typeof file === "string")
        return errorResponse(
          new AppError("invalid_request", "A multipart upload carries the image in a field named `file`."),
          requestId,
        );
      data = Buffer.from(await file.arrayBuffer());
    } else if (type.startsWith("image/") || type === "application/octet-stream") {
      data = Buffer.from(await c.req.arrayBuffer());
    } else {
      return errorResponse(
        new AppError(
          "unsupported_media_type",
          "Send the image as its bytes (Content-Type image/png, image/jpeg or image/webp), as a multipart form's `file` field, or JSON with url or data.",
        ),
        requestId,
      );
    }
    try {
      const upload = await createUpload({ ctx: engine, caller, input: { data } });
      return c.json(upload, 200, { "x-request-id": requestId });
    } catch (error) {
      if (error instanceof AppError) return errorResponse(error, requestId);
      throw error;
    }
  };
}
