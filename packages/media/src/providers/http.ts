import {
  PermanentGenerationError,
  ProviderAccountError,
  type ProviderAccountProblem,
  TransientGenerationError,
  throwIfAborted,
} from "../generator";
import { reportProviderCall } from "./observe";

export interface ProviderFetchOptions {
  /** The job's signal: when it aborts, the request is closed and GenerationAbortedError thrown. */
  signal: AbortSignal;
  /** Covers the whole exchange, headers and body. */
  timeoutMs: number;
  /** Name used in error messages, such as "OpenAI". */
  provider: string;
}

/** A provider's answer with the body already read, so the timeout covers the body too. */
export interface ProviderResponse {
  status: number;
  ok: boolean;
  headers: Headers;
  body: Buffer;
}

/**
 * One HTTP exchange with a provider. Timeouts and connection failures become TransientGenerationError; an
 * abort of `options.signal` closes the connection and throws GenerationAbortedError. Any status comes back as a ProviderResponse: the caller
 * decides what a non-2xx means (see failureFromResponse).
 */
export async function providerFetch(
  url: string,
  init: RequestInit,
  options: ProviderFetchOptions,
): Promise<ProviderResponse> {
  throwIfAborted(options.signal);
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = AbortSignal.any([options.signal, timeout]);
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  try {
    const response = await fetch(url, { ...init, signal });
    const body = Buffer.from(await response.arrayBuffer());
    reportProviderCall({
      status: response.status,
      seconds: seconds(),
      requestId: providerRequestId(response.headers),
      host: hostOf(url),
    });
    return { status: response.status, ok: response.ok, headers: response.headers, body };
  } catch (error) {
    reportProviderCall({
      failure: options.signal.aborted ? "aborted" : timeout.aborted ? "timeout" : "network_error",
      seconds: seconds(),
      host: hostOf(url),
    });
    throwIfAborted(options.signal);
    if (timeout.aborted) {
      throw new TransientGenerationError(
        `${options.provider} did not answer within ${options.timeoutMs} ms`,
        {
          cause: error,
        },
      );
    }
    throw new TransientGenerationError(
      `Could not reach ${options.provider}: ${describeNetworkError(error)}`,
      {
        cause: error,
      },
    );
  }
}

// The headers providers name their request ids in (OpenAI, Anthropic-style, fal, Stability, ElevenLabs).
const REQUEST_ID_HEADERS = [
  "x-request-id",
  "request-id",
  "x-fal-request-id",
  "x-trace-id",
  "x-amzn-requestid",
];

function providerRequestId(headers: Headers): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers.get(name);
    if (value) return value.slice(0, 200);
  }
  return undefined;
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code ? `${code} (${cause.message})` : cause.message;
  }
  return error.message;
}

/**
 * How long the provider asks us to wait, from `retry-after-ms` (OpenAI's precise variant) or `Retry-After`
 * (seconds or an HTTP date). Undefined when absent or unreadable.
 */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const precise = headers.get("retry-after-ms");
  if (precise !== null && precise.trim() !== "") {
    const ms = Number(precise);
    if (Number.isFinite(ms) && ms >= 0) return Math.round(ms);
  }
  const value = headers.get("retry-after")?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** A failed answer, parsed once for the provider-specific rules. */
export interface FailedAnswer {
  status: number;
  headers: Headers;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
  text: string;
}

export interface FailureRules {
  provider: string;
  /** Strings that must never appear in an error message, such as the API key. */
  secrets: string[];
  /** True when the answer is the provider refusing the prompt on content policy. */
  isContentPolicy?: (answer: FailedAnswer) => boolean;
  /** The provider's own say on retrying (fal's X-Fal-Needs-Retry); undefined to use the status code. */
  isRetryable?: (answer: FailedAnswer) => boolean | undefined;
  /**
   * Whether the answer is the provider refusing us rather than the job (see ProviderAccountError). Only for
   * calls made with our key to the model's own endpoint: a 404 for a file or a finished request is not one.
   */
  accountProblem?: (answer: FailedAnswer) => ProviderAccountProblem | undefined;
}

// Statuses that mean the provider refuses us, not the job: every request would get the same answer.
const ACCOUNT_STATUSES: Record<number, ProviderAccountProblem> = {
  401: "key_refused",
  402: "credit_exhausted",
  403: "access_denied",
  404: "model_not_found",
};

/** The account problem a status means when the provider says nothing more precise. */
export function accountProblemByStatus(answer: FailedAnswer): ProviderAccountProblem | undefined {
  return ACCOUNT_STATUSES[answer.status];
}

// Statuses worth retrying, as the official OpenAI SDKs do: a timeout, a conflict, rate limiting, server errors.
const TRANSIENT_STATUSES = new Set([408, 409, 429]);

/** The error to throw for a non-2xx answer. */
export function failureFromResponse(response: ProviderResponse, rules: FailureRules): Error {
  const answer = parseFailedAnswer(response);
  const detail = redact(errorMessageOf(answer), rules.secrets);
  if (rules.isContentPolicy?.(answer)) {
    return new PermanentGenerationError(
      "content_policy",
      `${rules.provider} refused the prompt on content policy: ${detail}`,
    );
  }
  const message = `${rules.provider} answered HTTP ${answer.status}: ${detail}`;
  const problem = rules.accountProblem?.(answer);
  if (problem) return new ProviderAccountError(rules.provider, problem, message);
  const retryable =
    rules.isRetryable?.(answer) ?? (TRANSIENT_STATUSES.has(answer.status) || answer.status >= 500);
  if (retryable) return new TransientGenerationError(message, { retryAfterMs: retryAfterMs(answer.headers) });
  return new PermanentGenerationError("provider_error", message);
}

export function parseFailedAnswer(response: ProviderResponse): FailedAnswer {
  const text = response.body.toString("utf8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}

const MAX_MESSAGE_LENGTH = 300;

/** The provider's own words, from the error shapes of the providers here; else the start of the body. */
export function errorMessageOf(answer: FailedAnswer): string {
  const found = messageFromJson(answer.json);
  const raw = found ?? answer.text.replace(/\s+/g, " ").trim();
  if (raw === "") return "no error message";
  return raw.length > MAX_MESSAGE_LENGTH ? `${raw.slice(0, MAX_MESSAGE_LENGTH)}…` : raw;
}

function messageFromJson(json: unknown): string | undefined {
  if (!isRecord(json)) return undefined;
  const { error, detail, errors, message } = json;
  // OpenAI: { error: { message, type, code } }.
  if (isRecord(error) && typeof error.message === "string") return error.message;
  // AUTOMATIC1111's exception handler: { error: "OutOfMemoryError", detail: "", body: "", errors: "CUDA out of
  // memory…" } — the text is in `errors` (a string), `detail` is usually empty.
  if (typeof error === "string" && typeof errors === "string" && errors !== "") return `${error}: ${errors}`;
  // ElevenLabs: { detail: { status, message } }; FastAPI and fal: { detail: "..." } or { detail: [{ msg }] }.
  if (typeof detail === "string" && detail !== "") {
    return typeof error === "string" ? `${error}: ${detail}` : detail;
  }
  if (isRecord(detail) && typeof detail.message === "string") return detail.message;
  if (Array.isArray(detail)) {
    const messages = detail.map((item) => (isRecord(item) ? item.msg : undefined)).filter(isString);
    if (messages.length > 0) return messages.join("; ");
  }
  // Stability: { id, name, errors: ["..."] }.
  if (Array.isArray(errors)) {
    const messages = errors.filter(isString);
    if (messages.length > 0) return messages.join("; ");
  }
  if (typeof message === "string") return message;
  if (typeof error === "string") return error;
  return undefined;
}

export function redact(text: string, secrets: string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length > 0) result = result.split(secret).join("[redacted]");
  }
  return result;
}

/**
 * A 2xx answer we cannot use: not JSON, a field missing, bytes that do not decode. Transient on purpose: in
 * practice it is a truncated transfer, a proxy's error page served with 200 or a provider incident, and a later
 * try usually succeeds; the job's retry limit still ends a provider that keeps sending garbage.
 */
export function malformed(provider: string, why: string, cause?: unknown): TransientGenerationError {
  return new TransientGenerationError(`${provider} sent a malformed response: ${why}`, { cause });
}

/** The body of a 2xx answer as JSON; a malformed-response error when it is not. */
export function jsonBody(response: ProviderResponse, provider: string): unknown {
  try {
    return JSON.parse(response.body.toString("utf8"));
  } catch (error) {
    throw malformed(provider, "the body is not JSON", error);
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isString(value: unknown): value is string {
  return typeof value === "string";
}

/** Joins a base URL and a path without doubling or dropping the slash between them. */
export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}
