import type { AppError, ErrorBody } from "@mcpmediaengine/contract";

/** The one error envelope of the REST and asset endpoints. */
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
  return new Response(JSON.stringify(body), {
    status: error.status,
    headers: { "content-type": "application/json", "x-request-id": requestId, ...headers },
  });
}
