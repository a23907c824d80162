import type { PlanLimits } from "@mcpmediaengine/contract";
import type { Database } from "@mcpmediaengine/db";
import type { Kysely } from "kysely";
import type { AssetUrlSigner } from "./assets/signing";
import type { AssetStore } from "./assets/store";
import type { ApiKeyCache } from "./auth/key-cache";
import type { KeyUseRecorder } from "./auth/key-use";
import type { BillingSettings } from "./billing/stripe-billing";
import type { JobEventSource } from "./events/job-event-source";
import type { ModelRegistry } from "./models/registry";
import type { EngineMetrics } from "./observe/metrics";
import type { IdempotencyWrites } from "./services/idempotency/idempotency-writes";
import type { JobAdmission } from "./services/jobs/admission";

/** Everything a service needs, built once per process by createEngine. */
export interface EngineContext {
  db: Kysely<Database>;
  assets: AssetStore;
  urls: AssetUrlSigner;
  /**
   * How asset downloads are served: `signed`, our signed URLs stream the bytes from the store; `presigned`, they
   * redirect to the store's own presigned URL (an S3 store; the local disk always streams).
   */
  assetDelivery: "signed" | "presigned";
  /** MME_ASSET_RETENTION_DAYS: assets older than this are deleted by the retention task; kept for ever when unset. */
  assetRetentionMs?: number;
  models: ModelRegistry;
  /** Writes accepted jobs, grouping one account's concurrent submissions into one statement. */
  admission: JobAdmission;
  /** Claims Idempotency-Keys and keeps their responses, grouping concurrent requests' writes. */
  idempotency: IdempotencyWrites;
  /** Valid keys by hash; off unless a key change listener runs in this process. */
  keyCache: ApiKeyCache;
  /** Writes each key's last_used_at, at most once a minute. */
  keyUse: KeyUseRecorder;
  /** How many times a job is started before a transient failure becomes final. */
  maxAttempts: number;
  /** From this attempt of a job on, a model that fails transiently hands the job to its fallbacks. */
  fallbackFromAttempt: number;
  /** How long one run of a job may take before it is stopped and the job fails with `timeout`. */
  runTimeouts: RunTimeouts;
  webhooks: WebhookSettings;
  /** This process's Prometheus metrics. */
  metrics: EngineMetrics;
  /** Plans bought through Stripe (when configured), the Enterprise contact, the grace period of past-due accounts. */
  billing: BillingSettings;
  /**
   * The job changes Postgres announces (migration 0017), for live streams; set by API processes that listen.
   * Without it (or while it is down) streams and live views read the tables at intervals instead.
   */
  jobEvents?: JobEventSource;
}

export interface RunTimeouts {
  defaultMs: number;
  /** Per model id, over the default. */
  byModel: Record<string, number>;
}

export interface WebhookSettings {
  /** Base of the asset URLs in webhook bodies (there is no request to take it from). */
  publicUrl: string;
  /** MME_WEBHOOK_ALLOW_PRIVATE: let webhooks reach loopback and private addresses (local development, tests). */
  allowPrivate: boolean;
  /** Wait before each attempt: the first is usually 0; when it is spent the delivery fails. */
  retryScheduleMs: number[];
  /** How long an attempt waits for an answer. */
  timeoutMs: number;
  /** An endpoint whose every delivery has failed for this long is disabled. */
  disableAfterMs: number;
  /** How long a rotated-out secret keeps signing beside its successor. */
  secretGraceMs: number;
}

/**
 * Who is calling: resolved from the API key (or a browser session) by the transport, passed to every
 * account-scoped service.
 */
export interface Caller {
  accountId: string;
  /**
   * The API key the request is made with, also through a session opened with a key; for a session opened with a
   * password, the user's id (usr_…). Requests per minute are counted per this id.
   */
  keyId: string;
  /** The account's plan limits (with an enterprise account's own terms over them). */
  limits: PlanLimits;
  /** Whose per-minute allowance the request takes from: the key's id unless given (a console session's own). */
  rateBucket?: string;
}

/** Per-request values: the base of asset URLs is the operator's public URL, else the request's origin. */
export interface RequestScope {
  baseUrl: string;
}
