/**
 * Whether an error means "the database cannot be reached right now" (it is down, restarting, refusing
 * connections or full), as opposed to a fault of the query. Such errors are worth retrying once the database is
 * back, and callers of the API get 503 `service_unavailable` for them, not 500.
 */
export function isConnectionError(error: unknown): boolean {
  // Wrappers (tRPC, kysely, our own) keep the original as `cause`; a few levels are plenty.
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (matches(current)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

// Node's socket errors on connect, write or read.
const SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

// Postgres: admin_shutdown, crash_shutdown, cannot_connect_now (starting up or shutting down), too_many_connections.
const SQLSTATES = new Set(["57P01", "57P02", "57P03", "53300"]);

// node-postgres and pg-pool say these without a code.
const MESSAGES = [
  /^Connection terminated/i, // "Connection terminated", "... unexpectedly", "... due to connection timeout"
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error and is not queryable/i,
  /^Client was closed and is not queryable/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
];

function matches(error: unknown): boolean {
  if (typeof error !== "object") return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === "string") {
    if (SOCKET_CODES.has(code) || SQLSTATES.has(code)) return true;
    if (/^08[0-9A-Z]{3}$/.test(code)) return true; // SQLSTATE class 08: connection exception
  }
  if (error instanceof AggregateError && error.errors.some((e) => isConnectionError(e))) return true;
  return typeof message === "string" && MESSAGES.some((pattern) => pattern.test(message));
}
