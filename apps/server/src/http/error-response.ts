import type { AppError, ErrorBody } from "@mcpmediaengine/contract";

/**
 * The one error envelope of the REST and asset endpoints. A 503 or 429 says when to come back (`Retry-After`, from
 * the error's `details.retryAfterSeconds`).
 */
export function errorResponse(
  error: AppError,
  requestId: string,
  headers?: Record<string, string>,
): Response {
  const body: ErrorBody = {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details !== undefined && { details: error.details }),
      requestId,
    },
  };
  const retryAfter = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  return new Response(JSON.stringify(body), {
    status: error.status,
    headers: {
      "content-type": "application/json",
      "x-request-id": requestId,
      ...((error.status === 503 || error.status === 429) &&
        typeof retryAfter === "number" && { "retry-after": String(retryAfter) }),
      ...headers,
    },
  });
}
