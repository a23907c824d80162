/** What the console shows of any failure: the API's code and message, and the request id to quote. */
export interface ShownError {
  code: string;
  message: string;
  requestId?: string;
  details?: unknown;
}

interface ErrorEnvelope {
  error?: { code?: string; message?: string; requestId?: string; details?: unknown };
}

/** Reads the error envelope from a tRPC client error, a REST error body or anything else thrown. */
export function toShownError(error: unknown): ShownError {
  if (error && typeof error === "object") {
    const data = (error as { data?: ErrorEnvelope }).data;
    if (data?.error?.code) return fromEnvelope(data);
    // An answer given before tRPC (the rate limiter, a 503 while starting) carries the REST envelope.
    const json = (error as { meta?: { responseJSON?: ErrorEnvelope } }).meta?.responseJSON;
    if (json?.error?.code) return fromEnvelope(json);
    if ((error as ErrorEnvelope).error?.code) return fromEnvelope(error as ErrorEnvelope);
    if (error instanceof ApiError) return error.shown;
  }
  if (error instanceof TypeError) return { code: "connection_error", message: "The engine did not answer." };
  return { code: "internal_error", message: error instanceof Error ? error.message : String(error) };
}

function fromEnvelope(body: ErrorEnvelope): ShownError {
  const e = body.error!;
  return {
    code: e.code ?? "internal_error",
    message: e.message ?? "",
    requestId: e.requestId,
    details: e.details,
  };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly shown: ShownError,
  ) {
    super(shown.message);
  }
}

/** The issue messages of a 400 invalid_request, by field path. */
export function fieldErrors(error: ShownError | undefined): Record<string, string> {
  const issues = (error?.details as { issues?: { path: string; message: string }[] } | undefined)?.issues;
  const out: Record<string, string> = {};
  for (const issue of issues ?? []) out[issue.path] ??= issue.message;
  return out;
}

/** How long to wait before trying again, when the error says (429 and 503 carry it); else undefined. */
export function retryAfterMs(error: ShownError): number | undefined {
  const seconds = (error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
  return typeof seconds === "number" ? seconds * 1000 : undefined;
}
