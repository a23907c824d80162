import {
  type Account,
  type ApiKey,
  type ApiKeyList,
  type AssetList,
  type Batch,
  type BatchJobList,
  type BatchList,
  type BillingInfo,
  type BillingRedirect,
  type CheckoutRequest,
  type CreateBatchRequest,
  type CreatedApiKey,
  type CreatedBatch,
  type CreateUploadRequest,
  type CreateWebhookEndpointRequest,
  isTerminalStatus,
  type Job,
  type JobEstimate,
  type JobList,
  type JobLogs,
  type JobRequest,
  type LedgerList,
  type ListAssetsRequest,
  type ListBatchesRequest,
  type ListBatchJobsRequest,
  type ListJobsRequest,
  type ListLedgerRequest,
  type ListWebhookDeliveriesRequest,
  type ModelList,
  type ReplayResult,
  type ReplayWebhookEndpointRequest,
  type UpdateWebhookEndpointRequest,
  type Upload,
  type Usage,
  type UsageRequest,
  type WebhookDelivery,
  type WebhookDeliveryList,
  type WebhookEndpoint,
  type WebhookEndpointList,
  type WebhookEndpointWithSecret,
  type WebhookSecret,
} from "@mcpmediaengine/contract";
import { JobWaitTimeoutError } from "./errors";
import { followStream, type StreamedJobEvent, type StreamOptions } from "./events";
import {
  anySignal,
  type ClientOptions,
  HttpClient,
  newIdempotencyKey,
  type RequestOptions,
  sleep,
} from "./http";

/** Filters and paging, as the REST query takes them (limit and cursor optional). */
type Query<T> = Partial<T>;

export interface WaitOptions {
  /** Give up after this long (the job goes on). Default 10 minutes. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Called with each state the job is seen in (when polling), or with the ended job (when streaming). */
  onUpdate?: (job: Job) => void;
  /** Called with each event of the job's stream: status changes and progress, as they happen. */
  onEvent?: (event: StreamedJobEvent) => void;
  /** Follow the job's event stream (GET /v1/jobs/{jobId}/events) rather than poll. Default true; an engine
   * without the stream, or one that cannot be reached over it, is polled instead. */
  stream?: boolean;
  /** First pause between looks; it grows by half each time up to `maxIntervalMs`. Default 500 ms. */
  intervalMs?: number;
  /** Longest pause between looks. Default 5 s. */
  maxIntervalMs?: number;
}

/**
 * The MCP Media Engine API. Every method is one REST call (retried where safe) and returns the contract's types.
 *
 * ```ts
 * const engine = new MediaEngine({ apiKey: process.env.MME_API_KEY!, baseUrl: "http://127.0.0.1:8787" });
 * const job = await engine.jobs.createAndWait({ type: "image", prompt: "A calm sea", preset: "blog_thumbnail" });
 * console.log(job.result?.assets[0]?.url);
 * ```
 */
export class MediaEngine {
  private readonly http: HttpClient;

  constructor(options: ClientOptions) {
    this.http = new HttpClient(options);
  }

  readonly jobs = {
    /** Submits a job; answers at once with it queued. Sends an Idempotency-Key unless you give one. */
    create: (input: JobRequest, options: RequestOptions = {}): Promise<Job> =>
      this.http.request("POST", "/jobs", input, { idempotencyKey: newIdempotencyKey(), ...options }),
    get: (jobId: string, options?: RequestOptions): Promise<Job> =>
      this.http.request("GET", `/jobs/${encodeURIComponent(jobId)}`, undefined, options),
    list: (query: Query<ListJobsRequest> = {}, options?: RequestOptions): Promise<JobList> =>
      this.http.request("GET", `/jobs${queryString(query)}`, undefined, options),
    cancel: (jobId: string, options: RequestOptions = {}): Promise<Job> =>
      this.http.request("POST", `/jobs/${encodeURIComponent(jobId)}/cancel`, undefined, {
        idempotencyKey: newIdempotencyKey(),
        ...options,
      }),
    estimate: (input: JobRequest, options?: RequestOptions): Promise<JobEstimate> =>
      this.http.request("POST", "/jobs/estimate", input, options),
    /** What happened to the job, in order: attempts, provider request ids, retries and their waits, errors. */
    logs: (jobId: string, options?: RequestOptions): Promise<JobLogs> =>
      this.http.request("GET", `/jobs/${encodeURIComponent(jobId)}/logs`, undefined, options),
    /**
     * The job's events as they happen (Server-Sent Events): its current status, then each status change and
     * progress step, then `{ event: "job", job }` when it has ended, and the iteration ends. A dropped connection
     * is resumed with Last-Event-ID, so no event is missed. Uses only fetch and web streams (any runtime).
     *
     * ```ts
     * for await (const event of engine.jobs.stream(job.jobId)) {
     *   if (event.event === "progress") console.log(`${Math.round(event.progress * 100)}%`);
     *   if (event.event === "job") console.log(event.job.status);
     * }
     * ```
     */
    stream: (jobId: string, options: StreamOptions = {}): AsyncGenerator<StreamedJobEvent> =>
      followStream(
        (lastEventId) =>
          this.http.openStream(`/jobs/${encodeURIComponent(jobId)}/events`, {
            lastEventId,
            signal: options.signal,
          }),
        { ...options, last: (event) => event.event === "job" },
      ),
    /**
     * Waits until the job is completed, failed or canceled: follows its event stream, or polls (the pause between
     * looks growing to a cap) when the engine has no stream or it cannot be followed. Throws JobWaitTimeoutError
     * (with the job id) when `timeoutMs` passes first, and the signal's reason when aborted.
     */
    wait: async (jobId: string, options: WaitOptions = {}): Promise<Job> => {
      const deadline = Date.now() + (options.timeoutMs ?? 600_000);
      if (options.stream !== false) {
        const ended = await this.waitByStream(jobId, deadline, options);
        if (ended) return ended;
      }
      let interval = options.intervalMs ?? 500;
      for (;;) {
        const job = await this.jobs.get(jobId, { signal: options.signal });
        options.onUpdate?.(job);
        if (isTerminalStatus(job.status)) return job;
        const left = deadline - Date.now();
        if (left <= 0) throw new JobWaitTimeoutError(jobId, job);
        await sleep(Math.min(interval, left), options.signal);
        interval = Math.min(interval * 1.5, options.maxIntervalMs ?? 5000);
      }
    },
    /** create, then wait. */
    createAndWait: async (input: JobRequest, options: WaitOptions & RequestOptions = {}): Promise<Job> => {
      const job = await this.jobs.create(
        input,
        options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {},
      );
      return this.jobs.wait(job.jobId, options);
    },
  };

  /** The stream to the job's end; undefined when it could not be followed (the caller polls instead). */
  private async waitByStream(
    jobId: string,
    deadline: number,
    options: WaitOptions,
  ): Promise<Job | undefined> {
    const timeout = AbortSignal.timeout(Math.max(1, deadline - Date.now()));
    const signal = options.signal ? anySignal(options.signal, timeout) : timeout;
    try {
      for await (const event of this.jobs.stream(jobId, { signal })) {
        options.onEvent?.(event);
        if (event.event === "job") {
          options.onUpdate?.(event.job);
          return event.job;
        }
      }
      return undefined;
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason ?? error;
      if (timeout.aborted) {
        const job = await this.jobs.get(jobId, { signal: options.signal });
        if (isTerminalStatus(job.status)) return job;
        throw new JobWaitTimeoutError(jobId, job);
      }
      // No stream here (an older engine, a proxy that buffers): polling finds the job, or the real error.
      return undefined;
    }
  }

  readonly batches = {
    /**
     * Every job of the batch as it changes: each job's current state first, then its changes and its
     * `{ event: "job", job }` when it ends; the iteration ends when every job has. Resumes with Last-Event-ID after
     * a dropped connection (an event may then come twice; `jobId` and `seq` name it).
     */
    stream: (batchId: string, options: StreamOptions = {}): AsyncGenerator<StreamedJobEvent> =>
      followStream(
        (lastEventId) =>
          this.http.openStream(`/jobs/events?batchId=${encodeURIComponent(batchId)}`, {
            lastEventId,
            signal: options.signal,
          }),
        options,
      ),
    /** Submits up to 500 jobs at once, all or none. Sends an Idempotency-Key unless you give one. */
    create: (input: CreateBatchRequest, options: RequestOptions = {}): Promise<CreatedBatch> =>
      this.http.request("POST", "/batch", input, { idempotencyKey: newIdempotencyKey(), ...options }),
    get: (batchId: string, options?: RequestOptions): Promise<Batch> =>
      this.http.request("GET", `/batches/${encodeURIComponent(batchId)}`, undefined, options),
    list: (query: Query<ListBatchesRequest> = {}, options?: RequestOptions): Promise<BatchList> =>
      this.http.request("GET", `/batches${queryString(query)}`, undefined, options),
    jobs: (
      batchId: string,
      query: Query<Omit<ListBatchJobsRequest, "batchId">> = {},
      options?: RequestOptions,
    ): Promise<BatchJobList> =>
      this.http.request(
        "GET",
        `/batches/${encodeURIComponent(batchId)}/jobs${queryString(query)}`,
        undefined,
        options,
      ),
    cancel: (batchId: string, options: RequestOptions = {}): Promise<Batch> =>
      this.http.request("POST", `/batches/${encodeURIComponent(batchId)}/cancel`, undefined, {
        idempotencyKey: newIdempotencyKey(),
        ...options,
      }),
  };

  readonly uploads = {
    /**
     * Keeps an image (PNG, JPEG or WebP, at most 20 MB) for jobs' `inputImages`, `mask` or `inputImage`: its bytes
     * (a Uint8Array or Buffer, or a Blob), `{ url }` (an https URL the server fetches once) or `{ data }` (base64).
     */
    create: (input: Uint8Array | Blob | CreateUploadRequest, options?: RequestOptions): Promise<Upload> =>
      this.http.request("POST", "/uploads", input, options),
    get: (uploadId: string, options?: RequestOptions): Promise<Upload> =>
      this.http.request("GET", `/uploads/${encodeURIComponent(uploadId)}`, undefined, options),
  };

  readonly models = {
    list: (options?: RequestOptions): Promise<ModelList> =>
      this.http.request("GET", "/models", undefined, options),
  };

  readonly account = {
    get: (options?: RequestOptions): Promise<Account> =>
      this.http.request("GET", "/account", undefined, options),
  };

  readonly billing = {
    /** Whether plans are bought here by card (Stripe), the Enterprise contact, whether the portal opens. */
    get: (options?: RequestOptions): Promise<BillingInfo> =>
      this.http.request("GET", "/billing", undefined, options),
    /**
     * Stripe Checkout for a Starter or Pro subscription: send the person to `url`. The plan changes when Stripe
     * confirms the payment.
     */
    checkout: (input: CheckoutRequest, options?: RequestOptions): Promise<BillingRedirect> =>
      this.http.request("POST", "/billing/checkout", input, options),
    /** Stripe's customer portal (card, invoices, cancel): send the person to `url`. */
    portal: (options?: RequestOptions): Promise<BillingRedirect> =>
      this.http.request("POST", "/billing/portal", {}, options),
  };

  readonly keys = {
    /** The account's keys (never their secrets), working ones first. */
    list: (options?: RequestOptions): Promise<ApiKeyList> =>
      this.http.request("GET", "/keys", undefined, options),
    /** A new named key; its secret (`apiKey`) is in this answer only. Not retried: a retry could make two keys. */
    create: (input: { name: string }, options?: RequestOptions): Promise<CreatedApiKey> =>
      this.http.request("POST", "/keys", input, { ...options, noRetry: true }),
    /** The key answers 401 from its next request on. Revoking the client's own key is allowed. */
    revoke: (keyId: string, options?: RequestOptions): Promise<ApiKey> =>
      this.http.request("DELETE", `/keys/${encodeURIComponent(keyId)}`, undefined, options),
  };

  readonly assets = {
    /** A page of the account's files, newest first, each with the job that made it (a gallery). */
    list: (query: Query<ListAssetsRequest> = {}, options?: RequestOptions): Promise<AssetList> =>
      this.http.request("GET", `/assets${queryString(query)}`, undefined, options),
  };

  readonly usage = {
    /** Credits spent and jobs ended per UTC day, model or type; the last 30 days by day unless asked. */
    get: (query: Query<UsageRequest> = {}, options?: RequestOptions): Promise<Usage> =>
      this.http.request("GET", `/usage${queryString(query)}`, undefined, options),
  };

  readonly credits = {
    /** A page of the credit ledger, newest first. */
    ledger: (query: Query<ListLedgerRequest> = {}, options?: RequestOptions): Promise<LedgerList> =>
      this.http.request("GET", `/credits/ledger${queryString(query)}`, undefined, options),
    /** Every ledger entry matching the filters as CSV text (header line first), for export. */
    exportCsv: (
      query: Pick<Query<ListLedgerRequest>, "createdAfter" | "createdBefore"> = {},
      options?: RequestOptions,
    ): Promise<string> =>
      this.http.requestText("GET", `/credits/ledger${queryString(query)}`, "text/csv", options),
  };

  readonly webhooks = {
    secret: {
      get: (options?: RequestOptions): Promise<WebhookSecret> =>
        this.http.request("GET", "/webhooks/secret", undefined, options),
      /** A new signing secret. Sends an Idempotency-Key unless you give one, so a retry never rotates twice. */
      rotate: (options: RequestOptions = {}): Promise<WebhookSecret> =>
        this.http.request("POST", "/webhooks/secret/rotate", undefined, {
          idempotencyKey: newIdempotencyKey(),
          ...options,
        }),
    },
    endpoints: {
      /** A new endpoint and its secret. Sends an Idempotency-Key unless you give one: a retry never makes two. */
      create: (
        input: CreateWebhookEndpointRequest,
        options: RequestOptions = {},
      ): Promise<WebhookEndpointWithSecret> =>
        this.http.request("POST", "/webhooks/endpoints", input, {
          idempotencyKey: newIdempotencyKey(),
          ...options,
        }),
      list: (options?: RequestOptions): Promise<WebhookEndpointList> =>
        this.http.request("GET", "/webhooks/endpoints", undefined, options),
      get: (endpointId: string, options?: RequestOptions): Promise<WebhookEndpoint> =>
        this.http.request("GET", `/webhooks/endpoints/${encodeURIComponent(endpointId)}`, undefined, options),
      update: (
        endpointId: string,
        input: Omit<UpdateWebhookEndpointRequest, "endpointId">,
        options?: RequestOptions,
      ): Promise<WebhookEndpoint> =>
        this.http.request("PATCH", `/webhooks/endpoints/${encodeURIComponent(endpointId)}`, input, options),
      delete: (endpointId: string, options?: RequestOptions): Promise<WebhookEndpoint> =>
        this.http.request(
          "DELETE",
          `/webhooks/endpoints/${encodeURIComponent(endpointId)}`,
          undefined,
          options,
        ),
      /** Sends an endpoint's failed deliveries again. Sends an Idempotency-Key unless you give one. */
      replay: (
        endpointId: string,
        input: Omit<ReplayWebhookEndpointRequest, "endpointId">,
        options: RequestOptions = {},
      ): Promise<ReplayResult> =>
        this.http.request("POST", `/webhooks/endpoints/${encodeURIComponent(endpointId)}/replay`, input, {
          idempotencyKey: newIdempotencyKey(),
          ...options,
        }),
    },
    deliveries: {
      list: (
        query: Query<ListWebhookDeliveriesRequest> = {},
        options?: RequestOptions,
      ): Promise<WebhookDeliveryList> =>
        this.http.request("GET", `/webhooks/deliveries${queryString(query)}`, undefined, options),
      get: (deliveryId: string, options?: RequestOptions): Promise<WebhookDelivery> =>
        this.http.request(
          "GET",
          `/webhooks/deliveries/${encodeURIComponent(deliveryId)}`,
          undefined,
          options,
        ),
      /** Sends one delivery again. Sends an Idempotency-Key unless you give one. */
      redeliver: (deliveryId: string, options: RequestOptions = {}): Promise<WebhookDelivery> =>
        this.http.request(
          "POST",
          `/webhooks/deliveries/${encodeURIComponent(deliveryId)}/redeliver`,
          undefined,
          {
            idempotencyKey: newIdempotencyKey(),
            ...options,
          },
        ),
    },
  };
}

function queryString(query: object): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
  const text = params.toString();
  return text ? `?${text}` : "";
}
