import type { ErrorCode, Job } from "@mcpmediaengine/contract";

/** An answer from the engine that is not a success: its HTTP status, the contract's error code and the request id. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode | (string & {});
  readonly requestId: string | undefined;
  readonly details: unknown;

  constructor(args: {
    status: number;
    code: string;
    message: string;
    requestId?: string;
    details?: unknown;
  }) {
    super(args.message);
    this.name = "ApiError";
    this.status = args.status;
    this.code = args.code;
    this.requestId = args.requestId;
    this.details = args.details;
  }
}

/** 401: the API key is missing, wrong or revoked. */
export class AuthenticationError extends ApiError {
  override name = "AuthenticationError";
}
/** 404: no such job, batch or endpoint on this account. */
export class NotFoundError extends ApiError {
  override name = "NotFoundError";
}
/** 402: the balance does not cover the cost (`details.balance`, `details.cost`). */
export class InsufficientCreditsError extends ApiError {
  override name = "InsufficientCreditsError";
}
/** 409: the job or batch has ended, or the Idempotency-Key was used for another request. */
export class ConflictError extends ApiError {
  override name = "ConflictError";
}
/** 429: over the key's requests per minute; `retryAfter` seconds until the window frees. */
export class RateLimitError extends ApiError {
  override name = "RateLimitError";
  readonly retryAfter: number | undefined;
  constructor(args: ConstructorParameters<typeof ApiError>[0] & { retryAfter?: number }) {
    super(args);
    this.retryAfter = args.retryAfter;
  }
}

/** No answer: the engine could not be reached, or did not answer within the timeout. */
export class ConnectionError extends Error {
  override name = "ConnectionError";
  constructor(
    message: string,
    readonly cause?: unknown,
  ) {
    super(message);
  }
}

/**
 * `jobs.wait` gave up before the job ended. The job goes on (and is charged if it completes): `jobId` and the last
 * `job` seen let the caller pick it up again.
 */
export class JobWaitTimeoutError extends Error {
  override name = "JobWaitTimeoutError";
  constructor(
    readonly jobId: string,
    readonly job: Job,
  ) {
    super(
      `Job ${jobId} had not ended when the wait timed out; it keeps running: wait again or get it later.`,
    );
  }
}

export function errorFor(
  status: number,
  body: { error?: { code?: string; message?: string; requestId?: string; details?: unknown } } | undefined,
  retryAfter: number | undefined,
): ApiError {
  const args = {
    status,
    code: body?.error?.code ?? (status >= 500 ? "internal_error" : "invalid_request"),
    message: body?.error?.message ?? `The engine answered ${status}.`,
    requestId: body?.error?.requestId,
    details: body?.error?.details,
  };
  if (status === 401) return new AuthenticationError(args);
  if (status === 402) return new InsufficientCreditsError(args);
  if (status === 404) return new NotFoundError(args);
  if (status === 409) return new ConflictError(args);
  if (status === 429) return new RateLimitError({ ...args, retryAfter });
  return new ApiError(args);
}
