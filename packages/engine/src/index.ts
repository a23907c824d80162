// For the transports, which may not import the database package: a lost database is their 503.
export { isConnectionError } from "@mcpmediaengine/db";
export { LocalAssetStore } from "./assets/local-store";
export { openS3AssetStore } from "./assets/open-s3-store";
export type { S3AssetStore, S3StoreSettings } from "./assets/s3-store";
export { parseS3Url, type S3Location } from "./assets/s3-url";
export { AssetUrlSigner } from "./assets/signing";
export { AssetMissingError, type AssetStore, AssetStoreError, type StoredBlob } from "./assets/store";
export { generateApiKeySecret, hashApiKey } from "./auth/api-key";
export { ApiKeyCache } from "./auth/key-cache";
export { type KeyChangeListener, listenForKeyChanges } from "./auth/key-change-listener";
export { KeyUseRecorder } from "./auth/key-use";
export {
  type BillingSettings,
  createStripeBilling,
  type StripeBilling,
  type StripeSettings,
} from "./billing/stripe-billing";
export type { Caller, EngineContext, RequestScope } from "./context";
export {
  createEngineContext,
  DEFAULT_BILLING_GRACE_MS,
  defaultGenerators,
  type EngineOptions,
} from "./engine";
export { type JobEventNote, JobEventSource } from "./events/job-event-source";
export { createLog, type Log, type LogFormat, type LogLevel } from "./logger";
export { devGenerators } from "./models/dev-generators";
export { type ModelAvailability, ModelRegistry } from "./models/registry";
export { ClientDocuments, type OAuthClient } from "./oauth/client-document";
export { OAuthError, type OAuthErrorCode } from "./oauth/errors";
export { canonicalResource } from "./oauth/resource";
export { DEFAULT_OAUTH_TTLS, OAUTH_SCOPE, type OAuthSettings } from "./oauth/settings";
export { addLogFields, withLogFields } from "./observe/log-context";
export { EngineMetrics } from "./observe/metrics";
export { LOW_PRIORITY_BASE } from "./queue/enqueue";
export { CRONTAB, TASKS } from "./queue/tasks";
export { getAccount, limitsOf } from "./services/account/get-account";
export { adminChangePlan, adminCreateAccount, adminGetAccount } from "./services/admin/accounts";
export { adminPostCredits } from "./services/admin/credits";
export { adminCreateKey, adminListKeys, adminRevokeKey } from "./services/admin/keys";
export { adminListAccounts } from "./services/admin/list-accounts";
export { type CopyProgress, type CopyReport, copyStore } from "./services/assets/copy-store";
export { expireAssets, type RetentionRun } from "./services/assets/expire-assets";
export { listAssets } from "./services/assets/list";
export {
  type AssetDownload,
  openAsset,
  PRESIGNED_URL_LIFETIME_SECONDS,
  streamAsset,
} from "./services/assets/open-asset";
export { type AssetContent, readAsset } from "./services/assets/read-asset";
export { authenticate } from "./services/auth/authenticate";
export { localOperator } from "./services/auth/local-operator";
export {
  endSession,
  type OpenedSession,
  type ResolvedSession,
  resolveSession,
} from "./services/auth/sessions";
export { signInWithKey, signInWithPassword } from "./services/auth/sign-in";
export { signUp } from "./services/auth/sign-up";
export { cancelBatch } from "./services/batches/cancel";
export { getBatch, listBatches, listBatchJobs } from "./services/batches/get";
export { submitBatch } from "./services/batches/submit";
export { createCheckout, createPortal, getBillingInfo } from "./services/billing/checkout";
export { expireGracePeriods } from "./services/billing/grace";
export { handleStripeWebhook, type WebhookOutcome } from "./services/billing/webhook";
export { ledgerEntries, listLedger } from "./services/credits/ledger";
export { grantMonthlyCredits } from "./services/credits/monthly-grants";
export { monthlyGrantOf, monthPeriod } from "./services/credits/plan-grants";
export { openBatchStream } from "./services/events/batch-stream";
export { type OpenedStream, openJobStream } from "./services/events/job-stream";
export { KEEPALIVE_MS, POLL_MS, type SseMessage } from "./services/events/messages";
export { checkReadiness, type Readiness } from "./services/health";
export { finishIdempotent, type IdempotentStart, startIdempotent } from "./services/idempotency/idempotency";
export { bodyValue, checkIdempotencyKey, requestHash } from "./services/idempotency/request-hash";
export { cancelJob } from "./services/jobs/cancel";
export { cancelOverdueJobs } from "./services/jobs/deadlines";
export { estimateJob } from "./services/jobs/estimate";
export { getJob } from "./services/jobs/get";
export { listJobs } from "./services/jobs/list";
export { getJobLogs } from "./services/jobs/logs";
export { submitJob } from "./services/jobs/submit";
export { WATCH_INTERVAL_MS, watchJobs } from "./services/jobs/watch";
export { createKey } from "./services/keys/create";
export {
  type CreatedKey,
  createAccountWithKey,
  DEFAULT_BOOTSTRAP_CREDITS,
  ensureStartupKey,
} from "./services/keys/create-key";
export { listKeys } from "./services/keys/list";
export { revokeKey } from "./services/keys/revoke";
export { type RateLimitDecision, takeRequest } from "./services/limits/rate-limit";
export {
  closeIdleMcpSessions,
  closeMcpSession,
  countMcpSessions,
  keepMcpSessionsBusy,
  type McpSessionRecord,
  type McpSessionStart,
  openMcpSession,
  releaseMcpSession,
  stillOpenMcpSessions,
  useMcpSession,
} from "./services/mcp-sessions/sessions";
export { listModels } from "./services/models/list-models";
export { isOAuthAccessToken, resolveAccessToken } from "./services/oauth/access";
export {
  AuthorizationError,
  type AuthorizationRequest,
  approveAuthorization,
  checkAuthorizationRequest,
} from "./services/oauth/authorize";
export { registerOAuthClient, resolveOAuthClient } from "./services/oauth/clients";
export { revokeOAuthToken } from "./services/oauth/revoke";
export { exchangeToken, type TokenResponse } from "./services/oauth/token";
export { createUpload, type UploadSource } from "./services/uploads/create";
export { fetchImage, IMAGE_FETCH_TIMEOUT_MS } from "./services/uploads/fetch-image";
export { getUpload } from "./services/uploads/get";
export { getUsage } from "./services/usage/get-usage";
export {
  getDelivery,
  listDeliveries,
  redeliver,
  replayEndpoint,
} from "./services/webhooks/deliveries";
export {
  createEndpoint,
  deleteEndpoint,
  getEndpoint,
  listEndpoints,
  updateEndpoint,
} from "./services/webhooks/endpoints";
export { getWebhookSecret, rotateWebhookSecret } from "./services/webhooks/secret";
export { listenForNotifications, type NotificationListener } from "./util/notification-listener";
export { isForbiddenAddress, resolveWebhookTarget } from "./webhooks/address-guard";
export { DEFAULT_RETRY_SCHEDULE_MS, nextDelayMs } from "./webhooks/schedule";
export { sweepDeadWorkers } from "./worker/recovery";
export { startWorker, type WorkerHandle, type WorkerOptions } from "./worker/runner";
