import { ERROR_STATUS, type ErrorCode } from "@mcpmediaengine/contract";

/** What the rules below know of an operation; all of it is read from the router and the generated document. */
export interface OperationFacts {
  /** The tRPC procedure behind it, such as "jobs.cancel". */
  procedure: string;
  /** Lower case, as in the document. */
  method: string;
  /** Under /v1, as in the document ("/jobs/{jobId}"). */
  path: string;
  /** It takes a JSON body. */
  hasBody: boolean;
  /** It takes path or query parameters. */
  hasParameters: boolean;
  /** Its path names an object (`{id}`), which may not exist or be another account's. */
  hasPathParameters: boolean;
  /** The operator's API: the admin token or an operator's session, never rate limited. */
  admin: boolean;
  /** It honours Idempotency-Key. */
  idempotent: boolean;
  /** It accepts work and holds its credits (202). */
  accepted: boolean;
  /** Its body is a job request, checked against a model. */
  takesJobRequest: boolean;
  /** Its body carries a webhook URL. */
  takesWebhookUrl: boolean;
}

/**
 * The one table of which operations can answer which error code. Every code of the contract has a rule (the type
 * demands it), so a new code must say where it applies, and a new operation gets its statuses from what it is, not
 * from a list kept by hand. The response validator of the test suite holds every answer to it.
 */
export const ERROR_SCOPE: { [code in ErrorCode]: (op: OperationFacts) => boolean } = {
  invalid_json: (op) => op.hasBody,
  invalid_request: (op) => op.hasBody || op.hasParameters || op.idempotent,
  invalid_webhook_url: (op) => op.takesWebhookUrl,
  invalid_batch: (op) => op.procedure === "batches.create",
  batch_too_large: (op) => op.procedure === "batches.create",
  unauthorized: () => true,
  forbidden: (op) => op.admin,
  // Sign-up and sign-in (/auth) are outside this document.
  signup_closed: () => false,
  cross_origin_request: (op) => op.method !== "get",
  // An object the path names, or an upload a job request names, that is not in the caller's account.
  not_found: (op) => op.hasPathParameters || op.takesJobRequest,
  // Answered for a path that has no operation with that method, so it belongs to no operation.
  method_not_allowed: () => false,
  job_not_cancelable: (op) => op.procedure === "jobs.cancel",
  batch_not_cancelable: (op) => op.procedure === "batches.cancel",
  idempotency_conflict: (op) => op.idempotent,
  // Asset downloads (/assets) are outside this document.
  asset_expired: () => false,
  email_taken: () => false,
  payload_too_large: (op) => op.hasBody,
  unsupported_media_type: (op) => op.hasBody,
  insufficient_credits: (op) => op.accepted,
  model_unavailable: (op) => op.takesJobRequest,
  // A job's fields a model cannot do, and an upload's image of a size no model takes.
  unsupported_input: (op) => op.takesJobRequest || op.procedure === "uploads.create",
  weak_password: () => false,
  rate_limited: (op) => !op.admin,
  internal_error: () => true,
  service_unavailable: () => true,
  // Stripe's webhook (/billing/stripe/webhook) is outside this document.
  invalid_signature: () => false,
  already_subscribed: (op) => op.procedure === "billing.checkout",
  billing_not_configured: (op) => op.procedure === "billing.checkout" || op.procedure === "billing.portal",
  payment_provider_error: (op) => op.procedure === "billing.checkout" || op.procedure === "billing.portal",
};

/** The error codes an operation can answer, by HTTP status. */
export function errorCodesByStatus(op: OperationFacts): Map<number, ErrorCode[]> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const [code, applies] of Object.entries(ERROR_SCOPE) as [
    ErrorCode,
    (op: OperationFacts) => boolean,
  ][]) {
    if (!applies(op)) continue;
    const status = ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return new Map([...byStatus].sort(([a], [b]) => a - b));
}

const STATUS_TEXT: Record<number, string> = {
  400: "The request is malformed or invalid",
  401: "No valid API key or session",
  402: "Not enough credits",
  403: "Not allowed",
  404: "No such object in your account",
  409: "A conflict with the object's state or with an earlier request",
  413: "The body is too large",
  415: "The body is not JSON",
  422: "Well-formed, but the model cannot serve it",
  429: "Too many requests: wait Retry-After seconds",
  500: "Something went wrong on our side (quote the requestId)",
  502: "The payment provider failed or refused: try again, or see the message",
  503: "Unavailable for a moment: retry after Retry-After seconds",
};

/** A status's description: what it means and the codes that come with it. */
export function errorDescription(status: number, codes: ErrorCode[]): string {
  return `${STATUS_TEXT[status] ?? "Error"}: ${codes.map((c) => `\`${c}\``).join(", ")}.`;
}
