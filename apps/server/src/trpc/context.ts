import type { Session } from "@mcpmediaengine/contract";
import type { Caller, EngineContext, Log, RequestScope } from "@mcpmediaengine/engine";

/** What every procedure sees: the engine, the request's id and scope, and the raw Authorization header. */
export interface TrpcContext {
  engine: EngineContext;
  log: Log;
  requestId: string;
  scope: RequestScope;
  authorization: string | null;
  /** MME_ADMIN_TOKEN; the admin procedures refuse every call when it is unset. */
  adminToken?: string;
  /** The caller, when the HTTP layer has already resolved the API key (for rate limiting) or the session cookie. */
  caller?: Caller;
  /** The browser session the request's cookie opened; the operator's may use the admin procedures. */
  session?: Session;
  /** The request's session cookie named a session that has ended. */
  sessionEnded?: boolean;
  /** The database was away when the HTTP layer tried to resolve the caller. */
  databaseDown?: boolean;
  /** The request's Idempotency-Key header, for the procedures that create something. */
  idempotencyKey?: string;
  /** Headers a procedure adds to its HTTP response (such as `Idempotent-Replayed`). */
  responseHeaders: Headers;
  /** Aborted when the process stops; a subscription ends with it. */
  streams?: AbortSignal;
}

export interface AuthedContext extends TrpcContext {
  caller: Caller;
}
