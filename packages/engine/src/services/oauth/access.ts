import type { Caller, EngineContext } from "../../context";
import { hashOAuthSecret, looksLikeOAuthSecret } from "../../oauth/secrets";
import { findLiveAccessToken } from "../../repositories/oauth";
import { limitsOf } from "../account/get-account";

/** Whether a bearer credential is one of our access tokens (rather than an API key). */
export function isOAuthAccessToken(secret: string): boolean {
  return looksLikeOAuthSecret("access", secret);
}

/**
 * The caller an access token stands for, on the resource it was issued for: undefined when the token is unknown,
 * expired, revoked (or its grant is), or was issued for another resource (audience, RFC 8707: a token for one
 * server is never accepted by another). The caller is the grant's account; its "key" is the grant, so requests
 * per minute and MCP sessions are counted per grant.
 */
export async function resolveAccessToken(args: {
  ctx: EngineContext;
  token: string;
  resources: readonly string[];
}): Promise<Caller | undefined> {
  if (!isOAuthAccessToken(args.token)) return undefined;
  const row = await findLiveAccessToken(args.ctx.db, hashOAuthSecret(args.token));
  if (!row || !args.resources.includes(row.resource)) return undefined;
  return { accountId: row.account_id, keyId: row.grant_id, limits: limitsOf(row) };
}
