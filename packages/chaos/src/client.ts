/** One request as the customer saw it, after failing over between the API processes. */
export interface RequestRecord {
  startedAt: number;
  endedAt: number;
  method: string;
  /** The route, with ids replaced: `/v1/jobs/:id`. */
  route: string;
  /** The status of the answer that ended it; undefined when no API process answered. */
  status?: number;
  /** Why no answer came from the last process tried (connection refused, reset, timeout). */
  error?: string;
}

export interface Answer {
  status: number;
  body: unknown;
}

/** No API process answered within this; the request counts as unanswered and the next process is tried. */
const ATTEMPT_TIMEOUT_MS = 20_000;

/**
 * The customer's HTTP client over both API processes, as a load balancer would spread it: requests take turns,
 * and a request that gets no answer at all (connection refused or reset, timeout), or 503 (a process still
 * starting says so, as does one that has lost the database), is sent once to the other process, as a load
 * balancer's "next upstream" rule does. Any other 5xx is an answer and is not retried here (the caller decides).
 * Every request is recorded for the availability figure, with the answer that ended it.
 */
export class ApiClient {
  readonly records: RequestRecord[] = [];
  private turn = 0;

  constructor(
    private readonly urls: string[],
    private readonly apiKey: string,
  ) {}

  async request(
    method: "GET" | "POST",
    path: string,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Answer | undefined> {
    const startedAt = Date.now();
    const first = this.turn++ % this.urls.length;
    let error = "";
    for (let i = 0; i < this.urls.length; i++) {
      const base = this.urls[(first + i) % this.urls.length]!;
      try {
        const response = await fetch(`${base}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${this.apiKey}`,
            ...(options.body !== undefined && { "content-type": "application/json" }),
            ...options.headers,
          },
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
        });
        const text = await response.text();
        const last = i === this.urls.length - 1;
        if (response.status === 503 && !last) {
          error = "503";
          continue;
        }
        this.record(startedAt, method, path, { status: response.status });
        return { status: response.status, body: parse(text) };
      } catch (caught) {
        error = describe(caught);
      }
    }
    this.record(startedAt, method, path, { error });
    return undefined;
  }

  private record(
    startedAt: number,
    method: string,
    path: string,
    outcome: { status?: number; error?: string },
  ) {
    const route = path.replace(/\/(job|ast|bat)_[0-9a-z]+/g, "/:id");
    this.records.push({ startedAt, endedAt: Date.now(), method, route, ...outcome });
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  if (cause?.code) return cause.code;
  return error instanceof Error ? error.name : String(error);
}
