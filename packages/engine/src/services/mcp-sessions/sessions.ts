import type { Caller, EngineContext } from "../../context";
import {
  countSessions,
  deleteIdleSessions,
  deleteSession,
  insertSessionWithinCaps,
  type McpSessionRecord,
  markSessionIdle,
  markSessionsBusy,
  openSessionIds,
  touchSession,
} from "../../repositories/mcp-sessions";

export type { McpSessionRecord };

/** What a client's `initialize` said, kept so any API process can build the session's server again. */
export interface McpSessionStart {
  id: string;
  protocolVersion: string;
  clientCapabilities: Record<string, unknown>;
  clientInfo: { name: string; version: string };
}

/**
 * Opens an MCP session for the caller's key, first closing what the caps need closed, counted over every API
 * process: the key's and everyone's least recently used sessions, idle ones before those holding a stream open
 * (`busyHere` are this process's, which the table may not show yet). Returns the ids closed.
 */
export async function openMcpSession(args: {
  ctx: EngineContext;
  caller: Caller;
  input: McpSessionStart;
  caps: { perKey: number; inAll: number };
  busyHere: readonly string[];
}): Promise<{ closed: string[] }> {
  const closed = await insertSessionWithinCaps(
    args.ctx.db,
    { ...args.input, accountId: args.caller.accountId, keyId: args.caller.keyId },
    args.caps,
    args.busyHere,
  );
  return { closed };
}

/**
 * The caller's open session, marked used now (and busy for `busyForMs` when the request holds a stream open from
 * its start); undefined when it is closed or another account's.
 */
export function useMcpSession(args: {
  ctx: EngineContext;
  caller: Caller;
  sessionId: string;
  busyForMs?: number;
}): Promise<McpSessionRecord | undefined> {
  return touchSession(args.ctx.db, args.sessionId, args.caller.accountId, args.busyForMs);
}

/** Closes the caller's session on every API process; whether it was open. */
export function closeMcpSession(args: { ctx: EngineContext; caller: Caller; sessionId: string }) {
  return deleteSession(args.ctx.db, args.sessionId, args.caller.accountId);
}

/** Streams this process holds open keep their sessions busy for `forMs` more. */
export function keepMcpSessionsBusy(args: {
  ctx: EngineContext;
  sessionIds: readonly string[];
  forMs: number;
}) {
  return markSessionsBusy(args.ctx.db, args.sessionIds, args.forMs);
}

/** The session's last stream on this process has ended. */
export function releaseMcpSession(args: { ctx: EngineContext; sessionId: string }) {
  return markSessionIdle(args.ctx.db, args.sessionId);
}

/** Closes every session unused for `idleMs` and holding no stream open, whichever process served it; their ids. */
export function closeIdleMcpSessions(args: { ctx: EngineContext; idleMs: number }) {
  return deleteIdleSessions(args.ctx.db, args.idleMs);
}

/** Of these sessions, those still open (for a process that may have missed the news of a close). */
export function stillOpenMcpSessions(args: { ctx: EngineContext; sessionIds: readonly string[] }) {
  return openSessionIds(args.ctx.db, args.sessionIds);
}

/** Sessions open over every API process, or one key's. */
export function countMcpSessions(args: { ctx: EngineContext; keyId?: string }) {
  return countSessions(args.ctx.db, args.keyId);
}
