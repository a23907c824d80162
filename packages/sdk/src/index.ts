export type {
  Account,
  Asset,
  Batch,
  BatchItem,
  BatchItemError,
  BatchJobList,
  BatchList,
  CreateBatchRequest,
  CreatedBatch,
  CreateJobRequest,
  ErrorCode,
  Job,
  JobEstimate,
  JobList,
  JobStatus,
  ListJobsRequest,
  ModelList,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEndpointWithSecret,
} from "@mcpmediaengine/contract";
export {
  type AudioJob,
  type AudioJobRequest,
  type ImageJob,
  type ImageJobRequest,
  isAudioJob,
  isImageJob,
  isVideoJob,
  type JobRequest,
  type VideoJob,
  type VideoJobRequest,
} from "@mcpmediaengine/contract";
export { MediaEngine, type WaitOptions } from "./client";
export {
  ApiError,
  AuthenticationError,
  ConflictError,
  ConnectionError,
  InsufficientCreditsError,
  JobWaitTimeoutError,
  NotFoundError,
  RateLimitError,
} from "./errors";
export type { ClientOptions, RequestOptions } from "./http";
export {
  type BatchWebhookEvent,
  type JobWebhookEvent,
  verifyWebhook,
  type WebhookEvent,
  WebhookVerificationError,
} from "./webhooks";
