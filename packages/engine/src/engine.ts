import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { Database } from "@mcpmediaengine/db";
import {
  createLocalMotionGenerator,
  createLocalStudioGenerator,
  createLocalVoiceGenerator,
  type Generator,
} from "@mcpmediaengine/media";
import type { Kysely } from "kysely";
import { LocalAssetStore } from "./assets/local-store";
import { AssetUrlSigner } from "./assets/signing";
import type { AssetStore } from "./assets/store";
import { ApiKeyCache } from "./auth/key-cache";
import { KeyUseRecorder } from "./auth/key-use";
import type { BillingSettings } from "./billing/stripe-billing";
import type { EngineContext, RunTimeouts, WebhookSettings } from "./context";
import { ModelRegistry } from "./models/registry";
import { EngineMetrics } from "./observe/metrics";
import { readQueueDepth } from "./repositories/queue-depth";
import { getOrCreateSetting } from "./repositories/settings";
import { IdempotencyWrites } from "./services/idempotency/idempotency-writes";
import { JobAdmission } from "./services/jobs/admission";
import { DEFAULT_RETRY_SCHEDULE_MS } from "./webhooks/schedule";

export interface EngineOptions {
  db: Kysely<Database>;
  dataDir: string;
  /** Replaces the default generators (the offline engines); benchmarks and tests pass their own. */
  generators?: Generator[];
  /** Added to the default generators. */
  extraGenerators?: Generator[];
  maxAttempts?: number;
  /** Fallback models by model id, and from which attempt they take over (default the second). */
  fallbacks?: Record<string, readonly string[]>;
  fallbackFromAttempt?: number;
  /** A run longer than this is stopped and its job fails with `timeout`: 10 minutes, or per model. */
  runTimeouts?: Partial<RunTimeouts>;
  /** Why catalog models without a generator here cannot run (shown by GET /v1/models). */
  unavailableReasons?: Record<string, string>;
  /** Signing key for asset URLs; generated once and kept in the database when not given. */
  signingSecret?: string;
  assetUrlLifetimeSeconds?: number;
  /** Where asset files go: the local disk under `<dataDir>/assets` unless given (an S3AssetStore, say). */
  assets?: AssetStore;
  /** `presigned`: asset URLs redirect to the store's presigned URLs; `signed` (the default) streams them. */
  assetDelivery?: "signed" | "presigned";
  /** Assets older than this many days are deleted by the retention task; kept for ever when unset. */
  assetRetentionDays?: number;
  webhooks?: Partial<WebhookSettings>;
  /** This process's metrics; recorded (and their page served) unless disabled. */
  metrics?: EngineMetrics;
  /** Stripe, the Enterprise contact and the grace period; no Stripe and 7 days unless given. */
  billing?: Partial<BillingSettings>;
}

/** How long a past-due account keeps its plan unless the operator says otherwise (MME_BILLING_GRACE_DAYS). */
export const DEFAULT_BILLING_GRACE_MS = 7 * 24 * 3600_000;

/** How long a run may take unless the operator says otherwise (MME_JOB_TIMEOUT_SECONDS, MME_MODEL_TIMEOUTS). */
export const DEFAULT_RUN_TIMEOUT_MS = 10 * 60_000;

/** The offline engines: images, short clips and speech, all made on this machine. */
export function defaultGenerators(): Generator[] {
  return [createLocalStudioGenerator(), createLocalMotionGenerator(), createLocalVoiceGenerator()];
}

export async function createEngineContext(options: EngineOptions): Promise<EngineContext> {
  const secret =
    options.signingSecret ??
    (await getOrCreateSetting(options.db, "asset_signing_secret", () =>
      randomBytes(32).toString("base64url"),
    ));
  const metrics = options.metrics ?? new EngineMetrics();
  metrics.readQueueFrom(() => readQueueDepth(options.db));
  return {
    db: options.db,
    metrics,
    assets: options.assets ?? new LocalAssetStore(join(options.dataDir, "assets")),
    urls: new AssetUrlSigner(secret, options.assetUrlLifetimeSeconds),
    assetDelivery: options.assetDelivery ?? "signed",
    assetRetentionMs:
      options.assetRetentionDays === undefined ? undefined : options.assetRetentionDays * 24 * 3600_000,
    models: new ModelRegistry(
      [...(options.generators ?? defaultGenerators()), ...(options.extraGenerators ?? [])],
      { fallbacks: options.fallbacks, unavailableReasons: options.unavailableReasons },
    ),
    admission: new JobAdmission(options.db),
    idempotency: new IdempotencyWrites(options.db),
    keyCache: new ApiKeyCache(),
    keyUse: new KeyUseRecorder(options.db),
    maxAttempts: options.maxAttempts ?? 5,
    fallbackFromAttempt: options.fallbackFromAttempt ?? 2,
    runTimeouts: {
      defaultMs: options.runTimeouts?.defaultMs ?? DEFAULT_RUN_TIMEOUT_MS,
      byModel: options.runTimeouts?.byModel ?? {},
    },
    webhooks: {
      publicUrl: "http://127.0.0.1:8787",
      allowPrivate: false,
      retryScheduleMs: DEFAULT_RETRY_SCHEDULE_MS,
      timeoutMs: 15_000,
      disableAfterMs: 5 * 24 * 3600_000,
      secretGraceMs: 24 * 3600_000,
      ...options.webhooks,
    },
    billing: { graceMs: DEFAULT_BILLING_GRACE_MS, ...options.billing },
  };
}
