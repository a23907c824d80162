export { isConnectionError } from "./connection-errors";
export { DatabaseWatch, type DatabaseWatchOptions } from "./database-watch";
export {
  type EmbeddedPostgresHandle,
  type EmbeddedPostgresOptions,
  StartupError,
  startEmbeddedPostgres,
} from "./embedded";
export { migrate, pendingMigrations } from "./migrate";
export { connectsSettled, createDb, createPool, type PoolOptions } from "./pool";
export type {
  AccountRow,
  ApiKeyRow,
  AssetRow,
  BatchRow,
  BatchStatusColumn,
  BillingChange,
  Database,
  JobEventRow,
  JobLogRow,
  JobRow,
  JobStatusColumn,
  JobUpdate,
  LedgerKind,
  McpSessionsTable,
  NewAssetRow,
  NewJobRow,
  PlanColumn,
  SessionRow,
  UploadRow,
  UserRow,
  WebhookAttemptRow,
  WebhookDeliveryRow,
  WebhookEndpointRow,
} from "./types";
