/**
 * Whether an error means the database could not be reached (it is down, restarting, or refusing connections),
 * as opposed to a statement it refused: the first is worth waiting out, the second is not.
 */
export function isConnectionError(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (!e || typeof e !== "object") return false;
  const code = typeof e.code === "string" ? e.code : "";
  if (["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "ENOTFOUND", "EHOSTUNREACH"].includes(code))
    return true;
  // SQLSTATE class 08 (connection exception), admin/crash shutdown, cannot connect now, too many connections.
  if (/^08/.test(code) || ["57P01", "57P02", "57P03", "53300"].includes(code)) return true;
  const message = typeof e.message === "string" ? e.message : "";
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connect ECONNREFUSED/i.test(
    message,
  );
}
