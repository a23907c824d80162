import { AppError, ErrorCode } from "@mcpmediaengine/contract";
import type { TrpcContext } from "../trpc/context";
import { toAppError } from "../trpc/errors";
import { appRouter } from "../trpc/router";
import { errorResponse } from "./error-response";
import { createOpenApiFetchBridge } from "./openapi-fetch";

/** Procedures whose success is "accepted for processing" rather than "here it is". */
export const ACCEPTED_PATHS = new Set(["jobs.create", "batches.create"]);

const restHandler = createOpenApiFetchBridge<TrpcContext>({
  router: appRouter,
  endpoint: "/v1",
  responseMeta: ({ paths, errors }) => {
    if (errors.length > 0) {
      const { appError } = toAppError(errors[0]);
      return { status: appError.status };
    }
    return { status: paths?.length === 1 && ACCEPTED_PATHS.has(paths[0]!) ? 202 : 200 };
  },
});

/**
 * REST under /v1 through trpc-to-openapi. Its error bodies carry tRPC's shape; they are rewritten here into the
 * contract's `{ error: { code, message, details?, requestId } }` from what our error formatter put in `data.error`.
 */
export async function handleRest(request: Request, context: TrpcContext): Promise<Response> {
  const response = await restHandler(withEmptyJsonBody(request), context);
  if (response.status < 400) {
    for (const [name, value] of context.responseHeaders) response.headers.set(name, value);
    return response;
  }
  return errorResponse(await envelopeOf(response), context.requestId);
}

async function envelopeOf(response: Response): Promise<AppError> {
  const body = (await response.json().catch(() => ({}))) as {
    data?: { error?: { code?: string; message?: string; details?: unknown } };
  };
  const reported = body.data?.error;
  const code = ErrorCode.safeParse(reported?.code);
  if (code.success && reported?.message) return new AppError(code.data, reported.message, reported.details);
  return new AppError("internal_error", "Something went wrong on our side.");
}

/**
 * A POST or DELETE with no body (cancel, revoke) is read as `{}`, whatever content type it names: trpc-to-openapi otherwise
 * demands JSON even when there is nothing to send, and fails on an empty JSON body.
 */
function withEmptyJsonBody(request: Request): Request {
  if (!["POST", "PUT", "PATCH", "DELETE"].includes(request.method)) return request;
  const length = request.headers.get("content-length");
  const empty = length === "0" || (length === null && !request.headers.has("transfer-encoding"));
  if (!empty) return request;
  const headers = new Headers(request.headers);
  headers.set("content-type", "application/json");
  headers.delete("content-length");
  return new Request(request.url, { method: request.method, headers, body: "{}" });
}
