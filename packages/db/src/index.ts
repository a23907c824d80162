export { isConnectionError } from "./connection-errors";
export { DatabaseWatch, type DatabaseWatchOptions } from "./database-watch";
export {
  type EmbeddedPostgresHandle,
  type EmbeddedPostgresOptions,
  StartupError,
  startEmbeddedPostgres,
} from "./embedded";
export { migrate } from "./migrate";
export { connectsSettled, createDb, createPool, type PoolOptions } from "./pool";
export type {
  AccountRow,
  ApiKeyRow,
  AssetRow,
  BatchRow,
  BatchStatusColumn,
  Database,
  JobRow,
  JobStatusColumn,
  JobUpdate,
  LedgerKind,
  NewAssetRow,
  NewJobRow,
  PlanColumn,
  SessionRow,
  UserRow,
  WebhookAttemptRow,
  WebhookDeliveryRow,
  WebhookEndpointRow,
} from "./types";
