import { ConnectionError, errorFor } from "./errors";

export interface ClientOptions {
  apiKey: string;
  /** The engine's address, such as http://127.0.0.1:8787 (without /v1). */
  baseUrl: string;
  /** A fetch to use instead of the global one. */
  fetch?: typeof fetch;
  /** Retries after a connection failure, a 429 or a 5xx. Default 2. */
  maxRetries?: number;
  /** How long one attempt may take. Default 60 s. */
  timeoutMs?: number;
}

export interface RequestOptions {
  /** Sent as Idempotency-Key (the same on every retry of this call). */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

interface CallOptions extends RequestOptions {
  /** Never retried, whatever the failure: a call that creates something without an Idempotency-Key. */
  noRetry?: boolean;
  /** The media type asked for; JSON unless said. */
  accept?: string;
}

const RETRY_CAP_MS = 30_000;

/**
 * One call to the REST API, retried on what a retry can fix: no answer, 429 and 5xx. Waits grow exponentially
 * (0.5 s, 1 s, 2 s … with jitter) unless the engine says how long with Retry-After. A call that creates something
 * carries one Idempotency-Key through all its retries, so a retry never makes a second job.
 */
export class HttpClient {
  private readonly base: string;
  private readonly fetch: typeof fetch;
  private readonly maxRetries: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: ClientOptions) {
    if (!options.apiKey) throw new TypeError("MediaEngine needs an apiKey.");
    if (!options.baseUrl) throw new TypeError("MediaEngine needs a baseUrl, such as http://127.0.0.1:8787.");
    this.base = options.baseUrl.replace(/\/+$/, "");
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.maxRetries = options.maxRetries ?? 2;
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  async request<T>(
    method: "GET" | "POST" | "PATCH" | "DELETE",
    path: string,
    body?: unknown,
    options: CallOptions = {},
  ): Promise<T> {
    const text = await this.send(method, path, body, options);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /**
   * Opens a Server-Sent Events stream (not retried here: followStream reconnects with Last-Event-ID). The body, or
   * undefined when the engine answers 204 (nothing more will come); an error answer throws as any call's does.
   */
  async openStream(
    path: string,
    options: { lastEventId?: string; signal?: AbortSignal },
  ): Promise<ReadableStream<Uint8Array> | undefined> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.options.apiKey}`,
      accept: "text/event-stream",
    };
    if (options.lastEventId !== undefined) headers["last-event-id"] = options.lastEventId;
    let response: Response;
    try {
      response = await this.fetch(`${this.base}/v1${path}`, { headers, signal: options.signal });
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason ?? error;
      throw new ConnectionError(`Could not reach ${this.base}: ${(error as Error).message}`, error);
    }
    if (response.status === 204) return undefined;
    if (!response.ok || !response.body) {
      const text = await response.text();
      throw errorFor(response.status, parse(text), retryAfterSeconds(response.headers.get("retry-after")));
    }
    if (!/^text\/event-stream\b/i.test(response.headers.get("content-type") ?? "")) {
      await response.body.cancel().catch(() => {});
      throw new ConnectionError(`${this.base}/v1${path} did not answer with an event stream.`);
    }
    return response.body;
  }

  /** A call whose answer is text of another media type (such as text/csv), returned as it came. */
  requestText(method: "GET", path: string, accept: string, options: RequestOptions = {}): Promise<string> {
    return this.send(method, path, undefined, { ...options, accept });
  }

  private async send(
    method: "GET" | "POST" | "PATCH" | "DELETE",
    path: string,
    body: unknown,
    options: CallOptions,
  ): Promise<string> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.options.apiKey}`,
      accept: options.accept ?? "application/json",
    };
    const maxRetries = options.noRetry ? 0 : this.maxRetries;
    // Bytes (an upload) go as they are; anything else as JSON.
    const bytes = body instanceof Uint8Array || (typeof Blob !== "undefined" && body instanceof Blob);
    if (body !== undefined)
      headers["content-type"] = bytes
        ? (body instanceof Blob && body.type) || "application/octet-stream"
        : "application/json";
    if (options.idempotencyKey) headers["idempotency-key"] = options.idempotencyKey;
    for (let attempt = 0; ; attempt++) {
      const timeout = AbortSignal.timeout(this.timeoutMs);
      const signal = options.signal ? anySignal(options.signal, timeout) : timeout;
      let response: Response;
      try {
        response = await this.fetch(`${this.base}/v1${path}`, {
          method,
          headers,
          body: body === undefined ? undefined : bytes ? (body as Blob) : JSON.stringify(body),
          signal,
        });
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason ?? error;
        if (attempt < maxRetries) {
          await sleep(backoff(attempt), options.signal);
          continue;
        }
        throw new ConnectionError(`Could not reach ${this.base}: ${(error as Error).message}`, error);
      }
      const text = await response.text();
      if (response.ok) return text;
      const retryAfter = retryAfterSeconds(response.headers.get("retry-after"));
      const retryable = response.status === 429 || response.status >= 500;
      if (retryable && attempt < maxRetries) {
        await sleep(
          retryAfter !== undefined ? Math.min(retryAfter * 1000, RETRY_CAP_MS) : backoff(attempt),
          options.signal,
        );
        continue;
      }
      throw errorFor(response.status, parse(text), retryAfter);
    }
  }
}

function backoff(attempt: number): number {
  const base = Math.min(500 * 2 ** attempt, 8000);
  return base / 2 + Math.random() * (base / 2);
}

function retryAfterSeconds(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

function parse(text: string) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** A new Idempotency-Key for one logical call. */
export function newIdempotencyKey(): string {
  return `sdk_${globalThis.crypto.randomUUID()}`;
}

/** AbortSignal.any, which Node 18 lacks. */
export function anySignal(a: AbortSignal, b: AbortSignal): AbortSignal {
  if (typeof AbortSignal.any === "function") return AbortSignal.any([a, b]);
  const controller = new AbortController();
  for (const s of [a, b]) {
    if (s.aborted) controller.abort(s.reason);
    else s.addEventListener("abort", () => controller.abort(s.reason), { once: true });
  }
  return controller.signal;
}
