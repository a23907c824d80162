import { z } from "zod";

/**
 * The closed set of error codes a caller can receive, each with its HTTP status. Every transport maps these and
 * nothing else; an unexpected failure goes out as `internal_error` with a request id.
 */
export const ERROR_STATUS = {
  invalid_json: 400,
  invalid_request: 400,
  invalid_webhook_url: 400,
  invalid_batch: 400,
  batch_too_large: 400,
  invalid_signature: 400,
  unauthorized: 401,
  forbidden: 403,
  signup_closed: 403,
  cross_origin_request: 403,
  not_found: 404,
  method_not_allowed: 405,
  job_not_cancelable: 409,
  batch_not_cancelable: 409,
  idempotency_conflict: 409,
  asset_expired: 410,
  email_taken: 409,
  already_subscribed: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  insufficient_credits: 402,
  model_unavailable: 422,
  unsupported_input: 422,
  billing_not_configured: 422,
  weak_password: 422,
  rate_limited: 429,
  internal_error: 500,
  payment_provider_error: 502,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export const ErrorCode = z
  .enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]])
  .describe("Machine-readable error code; the HTTP status follows from it.");

export const ErrorBody = z
  .object({
    error: z.object({
      code: ErrorCode,
      message: z.string().describe("What went wrong, for a person."),
      details: z
        .unknown()
        .optional()
        .describe("Structured detail: the failing fields, the available models, …"),
      requestId: z.string().describe("Quote this id when asking for help; it is in the server's log."),
    }),
  })
  .describe("The body of every error response.");
export type ErrorBody = z.infer<typeof ErrorBody>;

/** A failure that services raise and transports translate; message and details are safe to show the caller. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/** A schema's refusal as the 400 every transport gives: each issue's path, code and message, the first three summed up. */
export function invalidRequest(error: z.ZodError): AppError {
  const issues = error.issues.map((issue) => ({
    path: issue.path.join("."),
    code: issue.code,
    message: issue.message,
  }));
  const summary = issues
    .slice(0, 3)
    .map((i) => (i.path ? `${i.path}: ${i.message}` : i.message))
    .join("; ");
  return new AppError(issueCode(error), `Invalid request: ${summary}`, { issues });
}

/** The code of a schema's refusal: `invalid_webhook_url` when a webhook URL is among the issues, else `invalid_request`. */
export function issueCode(error: z.ZodError): "invalid_request" | "invalid_webhook_url" {
  const marked = error.issues.some(
    (issue) =>
      issue.code === "custom" &&
      (issue.params as { errorCode?: string } | undefined)?.errorCode === "invalid_webhook_url",
  );
  return marked ? "invalid_webhook_url" : "invalid_request";
}

/** The value as the schema reads it, or 400 `invalid_request` naming every issue. */
export function parseRequest<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidRequest(parsed.error);
  return parsed.data;
}

/** Why a job failed; carried in the job's `error`. */
export const JobErrorCode = z
  .enum([
    "generation_failed",
    "invalid_output",
    "content_policy",
    "provider_error",
    "timeout",
    "attempts_exhausted",
    "storage_error",
    "worker_lost",
    "internal_error",
  ])
  .describe(
    "Why the job failed. timeout: it ran longer than its model's run timeout. attempts_exhausted: every attempt failed transiently. storage_error: its files could not be stored. worker_lost: the worker running its last attempt stopped.",
  );
export type JobErrorCode = z.infer<typeof JobErrorCode>;
