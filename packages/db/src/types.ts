import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T = unknown> = ColumnType<T, string, string>;

export type PlanColumn = "free" | "starter" | "pro" | "enterprise";

export interface AccountsTable {
  id: string;
  name: string;
  plan: Generated<PlanColumn>;
  /** Credits available; equals the sum of the account's credit_ledger amounts. */
  balance: Generated<number>;
  monthly_grant: number | null;
  limits: ColumnType<Record<string, number> | null, string | null | undefined, string | null>;
  webhook_secret: string | null;
  webhook_previous_secret: string | null;
  webhook_previous_secret_expires_at: NullableTimestamp;
  /** The operator's account: its browser sessions may use the admin API. */
  operator: Generated<boolean>;
  /** Stripe billing (migration 0018). */
  stripe_customer_id: Generated<string | null>;
  stripe_subscription_id: Generated<string | null>;
  past_due_since: NullableTimestamp;
  past_due_event_id: Generated<string | null>;
  downgrade_at: NullableTimestamp;
  plan_ends_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface UsersTable {
  id: string;
  account_id: string;
  /** Lower-cased. */
  email: string;
  /** Argon2id, in the PHC string format. */
  password_hash: string;
  created_at: Timestamp;
}

export interface SessionsTable {
  id: string;
  /** SHA-256 of the cookie's token; the token itself is never stored. */
  token_hash: string;
  account_id: string;
  /** Who signed in with a password; null when the session was opened with an API key. */
  user_id: string | null;
  /** The API key the session was opened with; it ends when the key is revoked. */
  api_key_id: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: NullableTimestamp;
}

export type LedgerKind = "grant" | "hold" | "capture" | "release" | "refund" | "adjustment";

export interface CreditLedgerTable {
  id: string;
  account_id: string;
  kind: LedgerKind;
  amount: number;
  job_id: string | null;
  /** A batch's hold names the batch; its jobs settle one by one with job_id. */
  batch_id: string | null;
  reason: string | null;
  period: string | null;
  /** The Stripe event (invoice.paid) a grant was made for. */
  stripe_event_id: Generated<string | null>;
  created_at: Timestamp;
}

export interface StripeEventsTable {
  id: string;
  type: string;
  account_id: string | null;
  created_at: Date;
  received_at: Generated<Date>;
}

export type BillingChange =
  | "plan"
  | "past_due"
  | "paid_up"
  | "cancel_at_period_end"
  | "cancel_undone"
  | "grace_expired";

export interface BillingChangesTable {
  id: Generated<string>;
  account_id: string;
  stripe_event_id: string;
  change: BillingChange;
  plan_before: PlanColumn;
  plan_after: PlanColumn;
  created_at: Generated<Date>;
}

export interface ApiKeysTable {
  id: string;
  account_id: string;
  name: Generated<string>;
  key_hash: string;
  key_hint: string;
  created_at: Timestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

/** Clients registered with Dynamic Client Registration (RFC 7591); metadata-document clients have no row. */
export interface OAuthClientsTable {
  id: string;
  client_name: string;
  redirect_uris: Json<string[]>;
  metadata: Json<Record<string, unknown>>;
  created_at: Timestamp;
}

/** What one approval lets a client do for an account, for one resource. */
export interface OAuthGrantsTable {
  id: string;
  account_id: string;
  user_id: string | null;
  client_id: string;
  client_name: string;
  resource: string;
  scope: string;
  created_at: Timestamp;
  revoked_at: NullableTimestamp;
}

export interface OAuthCodesTable {
  /** SHA-256 of the code; the code itself is never stored. */
  code_hash: string;
  grant_id: string;
  redirect_uri: string;
  /** The PKCE S256 challenge (base64url). */
  code_challenge: string;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
}

export interface OAuthTokensTable {
  /** SHA-256 of the token; the token itself is never stored. */
  token_hash: string;
  kind: "access" | "refresh";
  grant_id: string;
  expires_at: Timestamp;
  /** A refresh token's one use (rotation). */
  used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface ServerSettingsTable {
  key: string;
  value: string;
  created_at: Timestamp;
}

export type JobStatusColumn = "queued" | "processing" | "completed" | "failed" | "canceled";

export interface JobsTable {
  id: string;
  account_id: string;
  type: "image" | "video" | "audio";
  model: string;
  status: Generated<JobStatusColumn>;
  input: Json<Record<string, unknown>>;
  metadata: Json<Record<string, unknown>>;
  webhook_url: string | null;
  webhook_events: string[] | null;
  cost_credits: number;
  attempts: Generated<number>;
  max_attempts: number;
  error_code: string | null;
  error_message: string | null;
  created_at: Timestamp;
  started_at: NullableTimestamp;
  completed_at: NullableTimestamp;
  updated_at: Timestamp;
  batch_id: string | null;
  /** The job's place in its batch, from 0. */
  batch_index: number | null;
  custom_id: string | null;
  /** How far a running job has got, 0 to 1; 1 once completed. */
  progress: Generated<number>;
  /** The model and provider that made the assets (a fallback's when the first was down); null until completed. */
  served_model: string | null;
  served_provider: string | null;
  /** Bumped by every start; only the run holding the current lease may record the job's result. */
  lease: Generated<number>;
  /** The worker pool whose run of the job is still working (also after a cancel, until it has stopped). */
  running_on: string | null;
  /** low: its queue entry ranks behind every normal one (migration 0017). */
  priority: Generated<"normal" | "low">;
  /** The caller's deadline (cancelAfter): a job not ended by then is canceled. */
  cancel_at: NullableTimestamp;
  /** The job's last event number (job_events.seq); each change of status or progress takes the next. */
  event_seq: Generated<number>;
}

/** One change of a job's status or progress, written by migration 0017's trigger. */
export interface JobEventsTable {
  /** One order for all jobs (a batch's stream); not commit order across jobs, see `snapshot`. */
  id: Generated<string>;
  job_id: string;
  /** The job's own event number: commit order, since the job's row lock orders its changes. */
  seq: number;
  account_id: string;
  batch_id: string | null;
  kind: "status" | "progress";
  status: JobStatusColumn;
  progress: number;
  attempts: number;
  at: Generated<Date>;
  /** The writing transaction's id (xid8, as text). */
  xid: Generated<string>;
  /** The snapshot the event was written in (pg_snapshot, as text): which transactions it saw committed. */
  snapshot: Generated<string>;
}

/** What happened to a job, in order (GET /v1/jobs/{jobId}/logs). */
export interface JobLogsTable {
  id: Generated<string>;
  job_id: string;
  at: Generated<Date>;
  kind: string;
  attempt: number | null;
  message: string;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
}

export type BatchStatusColumn = "processing" | "completed" | "canceled";

export interface BatchesTable {
  id: string;
  account_id: string;
  status: Generated<BatchStatusColumn>;
  job_count: number;
  /** Jobs not yet ended; the batch ends when it reaches zero. */
  remaining: number;
  cost_credits: number;
  webhook_url: string | null;
  metadata: Json<Record<string, unknown>>;
  cancel_requested_at: NullableTimestamp;
  created_at: Timestamp;
  completed_at: NullableTimestamp;
}

export interface AssetsTable {
  id: string;
  job_id: string;
  account_id: string;
  position: number;
  sha256: string;
  mime_type: string;
  extension: string;
  bytes: number;
  width: number | null;
  height: number | null;
  duration_ms: number | null;
  role: Generated<"main" | "poster" | "captions">;
  created_at: Timestamp;
  /** When the retention task deleted the asset (its URL answers 410 from then on); null while it is kept. */
  deleted_at: NullableTimestamp;
}

/** Images an account uploaded to start jobs from; the bytes are an asset-store object like an asset's. */
export interface UploadsTable {
  id: string;
  account_id: string;
  sha256: string;
  mime_type: "image/png" | "image/jpeg" | "image/webp";
  bytes: number;
  width: number;
  height: number;
  /** The URL it was fetched from; null when its bytes were sent. */
  source_url: string | null;
  created_at: Generated<Date>;
}

/** Objects whose assets have all been deleted, until the store has deleted them too. */
export interface AssetObjectDeletionsTable {
  sha256: string;
  queued_at: Timestamp;
}

export interface WorkerHeartbeatsTable {
  worker_id: string;
  process_label: string;
  last_seen_at: Timestamp;
}

export interface McpSessionsTable {
  id: string;
  account_id: string;
  key_id: string;
  protocol_version: string;
  client_capabilities: Json<Record<string, unknown>>;
  client_info: Json<{ name: string; version: string }>;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  busy_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface RateLimitWindowsTable {
  key_id: string;
  window_start: Timestamp;
  count: number;
}

export interface IdempotencyKeysTable {
  account_id: string;
  key: string;
  request_hash: string;
  response_status: number | null;
  response_body: string | null;
  /** The job a POST /v1/jobs with this key created; its response is rebuilt from the job. */
  job_id: string | null;
  /** The batch a POST /v1/batch with this key created; its response is rebuilt from the batch. */
  batch_id: string | null;
  created_at: Timestamp;
}

export interface WebhookEndpointsTable {
  id: string;
  account_id: string;
  url: string;
  events: string[] | null;
  description: Generated<string>;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: NullableTimestamp;
  disabled_at: NullableTimestamp;
  disabled_reason: string | null;
  failing_since: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WebhookEventsTable {
  id: string;
  account_id: string;
  type: string;
  job_id: string | null;
  batch_id: string | null;
  body: string;
  created_at: Timestamp;
}

export interface WebhookDeliveriesTable {
  id: string;
  event_id: string;
  account_id: string;
  endpoint_id: string | null;
  job_id: string | null;
  url: string;
  status: Generated<"pending" | "succeeded" | "failed">;
  attempt_count: Generated<number>;
  round_start: Generated<number>;
  next_attempt_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WebhookAttemptsTable {
  delivery_id: string;
  attempt: number;
  attempted_at: Timestamp;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
  response_body: string | null;
}

export interface Database {
  webhook_endpoints: WebhookEndpointsTable;
  webhook_events: WebhookEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  accounts: AccountsTable;
  credit_ledger: CreditLedgerTable;
  stripe_events: StripeEventsTable;
  billing_changes: BillingChangesTable;
  rate_limit_windows: RateLimitWindowsTable;
  idempotency_keys: IdempotencyKeysTable;
  api_keys: ApiKeysTable;
  users: UsersTable;
  sessions: SessionsTable;
  server_settings: ServerSettingsTable;
  jobs: JobsTable;
  job_events: JobEventsTable;
  job_logs: JobLogsTable;
  batches: BatchesTable;
  assets: AssetsTable;
  uploads: UploadsTable;
  asset_object_deletions: AssetObjectDeletionsTable;
  worker_heartbeats: WorkerHeartbeatsTable;
  mcp_sessions: McpSessionsTable;
  oauth_clients: OAuthClientsTable;
  oauth_grants: OAuthGrantsTable;
  oauth_codes: OAuthCodesTable;
  oauth_tokens: OAuthTokensTable;
}

export type JobRow = Selectable<JobsTable>;
export type NewJobRow = Insertable<JobsTable>;
export type JobUpdate = Updateable<JobsTable>;
export type JobEventRow = Selectable<JobEventsTable>;
export type JobLogRow = Selectable<JobLogsTable>;
export type BatchRow = Selectable<BatchesTable>;
export type AssetRow = Selectable<AssetsTable>;
export type UploadRow = Selectable<UploadsTable>;
export type NewAssetRow = Insertable<AssetsTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type AccountRow = Selectable<AccountsTable>;
export type UserRow = Selectable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type WebhookEndpointRow = Selectable<WebhookEndpointsTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;
export type WebhookAttemptRow = Selectable<WebhookAttemptsTable>;
