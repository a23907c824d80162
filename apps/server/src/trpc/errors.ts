import { AppError, ERROR_STATUS, invalidRequest } from "@mcpmediaengine/contract";
import { isConnectionError } from "@mcpmediaengine/engine";
import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { ZodError } from "zod";

const TRPC_CODE_BY_STATUS: Record<number, TRPC_ERROR_CODE_KEY> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  402: "PAYMENT_REQUIRED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  405: "METHOD_NOT_SUPPORTED",
  409: "CONFLICT",
  413: "PAYLOAD_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
  422: "UNPROCESSABLE_CONTENT",
  429: "TOO_MANY_REQUESTS",
  500: "INTERNAL_SERVER_ERROR",
  502: "BAD_GATEWAY",
  503: "SERVICE_UNAVAILABLE",
};

/** An AppError as the TRPCError the tRPC transport answers with; the AppError rides along as the cause. */
export function toTRPCError(error: AppError): TRPCError {
  return new TRPCError({
    code: TRPC_CODE_BY_STATUS[error.status] ?? "INTERNAL_SERVER_ERROR",
    message: error.message,
    cause: error,
  });
}

/** Seconds a caller is told to wait (Retry-After) while the database is away. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** The answer to any request while the database cannot be reached: 503, try again shortly. */
export function databaseUnavailable(): AppError {
  return new AppError(
    "service_unavailable",
    `The database is unavailable right now; try again in ${DATABASE_RETRY_AFTER_SECONDS} s.`,
    { retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS },
  );
}

/** The 401 of a request whose session cookie names a session that has ended. */
export function sessionEnded(): AppError {
  return new AppError(
    "unauthorized",
    "Your session has ended (signed out, expired, or the key it was opened with was revoked): sign in again.",
  );
}

/**
 * Any error that reaches a transport, as one of the contract's codes. Only AppErrors and the framework's own
 * request errors keep their message; a lost database is 503 `service_unavailable` (the process logs the outage
 * once, not per request); everything else becomes `internal_error` and its message stays in the log.
 */
export function toAppError(error: unknown): { appError: AppError; unexpected: boolean } {
  const cause = error instanceof TRPCError ? error.cause : error;
  if (cause instanceof AppError) return { appError: cause, unexpected: false };
  if (isConnectionError(cause ?? error)) return { appError: databaseUnavailable(), unexpected: false };
  if (cause instanceof ZodError || (cause instanceof Error && cause.name === "ZodError"))
    return { appError: invalidRequest(cause as ZodError), unexpected: false };
  if (error instanceof TRPCError) {
    const byCode: Partial<Record<TRPC_ERROR_CODE_KEY, AppError>> = {
      PARSE_ERROR: new AppError("invalid_json", "The request body is not valid JSON."),
      BAD_REQUEST: new AppError("invalid_request", error.message),
      NOT_FOUND: new AppError("not_found", "No such endpoint. See /openapi.json for the API."),
      METHOD_NOT_SUPPORTED: new AppError("method_not_allowed", "This endpoint does not accept that method."),
      UNSUPPORTED_MEDIA_TYPE: new AppError(
        "unsupported_media_type",
        "Send the body as JSON with Content-Type: application/json.",
      ),
      PAYLOAD_TOO_LARGE: new AppError("payload_too_large", "The request body is too large."),
      UNAUTHORIZED: new AppError("unauthorized", error.message),
    };
    const mapped = byCode[error.code];
    if (mapped) return { appError: mapped, unexpected: false };
  }
  return { appError: new AppError("internal_error", "Something went wrong on our side."), unexpected: true };
}

export function statusOf(error: AppError): number {
  return ERROR_STATUS[error.code];
}
