export { Account, AccountId } from "./account";
export {
  AdminAccountRequest,
  AdminChangePlanRequest,
  AdminCreateAccountRequest,
  AdminCreatedAccount,
  AdminCreatedKey,
  AdminCreateKeyRequest,
  AdminCreditsRequest,
  AdminCreditsResult,
  AdminRevokedKey,
  AdminRevokeKeyRequest,
  ApiKeyId,
} from "./admin";
export { Cursor, IsoDateTime, Metadata, PageLimit, WebhookUrl } from "./common";
export { AppError, ERROR_STATUS, ErrorBody, ErrorCode, JobErrorCode } from "./errors";
export { ID_PREFIXES, type IdKind, idSchema, isId, newId } from "./ids";
export {
  Asset,
  AssetId,
  CancelJobRequest,
  CreateJobRequest,
  GetJobRequest,
  ImageFormat,
  ImageJobInput,
  ImageJobRequest,
  isTerminalStatus,
  Job,
  JobError,
  JobEstimate,
  JobId,
  JobList,
  JobStatus,
  ListJobsRequest,
  ModelId,
  Seed,
  TERMINAL_JOB_STATUSES,
} from "./job";
export {
  costRule,
  DEFAULT_MODEL,
  findModel,
  imageCost,
  MediaType,
  MODEL_CATALOG,
  type ModelDefinition,
  ModelInfo,
  ModelList,
  type ModelProvider,
} from "./models";
export { PLANS, type PlanDefinition, PlanId, PlanLimits } from "./plans";
export { IMAGE_PRESETS, IMAGE_SIZE_LIMITS, type ImagePreset, ImagePresetId } from "./presets";
export {
  newWebhookSecret,
  signWebhook,
  verifyWebhookSignature,
  type WebhookHeaders,
  WebhookVerificationError,
} from "./webhook-signature";
export {
  CreateWebhookEndpointRequest,
  DEFAULT_JOB_WEBHOOK_EVENTS,
  ListWebhookDeliveriesRequest,
  ReplayResult,
  ReplayWebhookEndpointRequest,
  UpdateWebhookEndpointRequest,
  WEBHOOK_EVENT_TYPES,
  WebhookAttempt,
  WebhookDelivery,
  WebhookDeliveryId,
  WebhookDeliveryList,
  WebhookDeliveryRequest,
  WebhookDeliveryStatus,
  WebhookEndpoint,
  WebhookEndpointId,
  WebhookEndpointList,
  WebhookEndpointRequest,
  WebhookEndpointWithSecret,
  WebhookEvent,
  WebhookEventId,
  WebhookEventType,
  WebhookEventTypes,
  WebhookSecret,
} from "./webhooks";
