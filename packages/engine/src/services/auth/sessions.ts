import { newId, type PlanId, type Session } from "@mcpmediaengine/contract";
import type { Database } from "@mcpmediaengine/db";
import type { Kysely } from "kysely";
import { hashSessionToken, looksLikeSessionToken, newSessionToken } from "../../auth/session-token";
import type { Caller, EngineContext } from "../../context";
import { findAccount } from "../../repositories/accounts";
import {
  deleteEndedSessions,
  findLiveSession,
  insertSession,
  revokeSession,
} from "../../repositories/sessions";
import { limitsOf } from "../account/get-account";

/** A session just opened: the token goes into the cookie and nowhere else. */
export interface OpenedSession {
  token: string;
  session: Session;
}

/** A request's session, and who it makes the caller. */
export interface ResolvedSession {
  caller: Caller;
  session: Session;
}

/** Opens a session on the account, for the user who signed in with a password or the API key used. */
export async function openSession(
  db: Kysely<Database>,
  who: { accountId: string; userId: string; email: string } | { accountId: string; keyId: string },
  ttlMs: number,
): Promise<OpenedSession> {
  const token = newSessionToken();
  const id = newId("session");
  const now = new Date();
  const expiresAt = new Date(now.getTime() + ttlMs);
  await deleteEndedSessions(db, who.accountId);
  await insertSession(db, {
    id,
    tokenHash: hashSessionToken(token),
    accountId: who.accountId,
    userId: "userId" in who ? who.userId : null,
    apiKeyId: "keyId" in who ? who.keyId : null,
    expiresAt,
  });
  const account = await findAccount(db, who.accountId);
  return {
    token,
    session: presentSession({
      account_id: who.accountId,
      api_key_id: "keyId" in who ? who.keyId : null,
      created_at: now,
      expires_at: expiresAt,
      name: account!.name,
      plan: account!.plan,
      operator: account!.operator,
      email: "email" in who ? who.email : null,
    }),
  };
}

/** Requests a minute a console user may make, at least: the plan's API allowance is for programs. */
export const CONSOLE_REQUESTS_PER_MINUTE = 300;

/** The session a cookie's token names, while it works: not signed out, not expired, its key (if any) not revoked. */
export async function resolveSession(args: {
  ctx: EngineContext;
  token: string;
}): Promise<ResolvedSession | undefined> {
  if (!looksLikeSessionToken(args.token)) return undefined;
  const row = await findLiveSession(args.ctx.db, hashSessionToken(args.token));
  if (!row) return undefined;
  const limits = limitsOf(row);
  const who = (row.api_key_id ?? row.user_id)!;
  return {
    // A person clicking through the console makes many small reads: the console has an allowance of its own, per
    // user (or per key it was opened with) however many sessions they open, apart from the plan's API allowance.
    caller: {
      accountId: row.account_id,
      keyId: who,
      limits: {
        ...limits,
        requestsPerMinute: Math.max(limits.requestsPerMinute, CONSOLE_REQUESTS_PER_MINUTE),
      },
      rateBucket: `console:${who}`,
    },
    session: presentSession(row),
  };
}

/** Signs out: the session's cookie opens nothing from now on, on every server. Unknown tokens are ignored. */
export async function endSession(args: { ctx: EngineContext; token: string }): Promise<void> {
  if (!looksLikeSessionToken(args.token)) return;
  await revokeSession(args.ctx.db, hashSessionToken(args.token));
}

function presentSession(row: {
  account_id: string;
  api_key_id: string | null;
  created_at: Date;
  expires_at: Date;
  name: string;
  plan: PlanId;
  operator: boolean;
  email: string | null;
}): Session {
  return {
    accountId: row.account_id,
    accountName: row.name,
    email: row.email,
    plan: row.plan,
    operator: row.operator,
    method: row.api_key_id ? "api_key" : "password",
    keyId: row.api_key_id,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
  };
}
