import type { Database } from "@mcpmediaengine/db";
import type { Kysely } from "kysely";
import type { EngineContext } from "../../context";
import { OAuthError } from "../../oauth/errors";
import { canonicalResource } from "../../oauth/resource";
import { hashOAuthSecret, looksLikeOAuthSecret, newOAuthSecret, verifyPkce } from "../../oauth/secrets";
import type { OAuthSettings } from "../../oauth/settings";
import {
  insertTokens,
  lockCode,
  lockToken,
  markCodeUsed,
  markTokenUsed,
  revokeGrant,
} from "../../repositories/oauth";

/** The token endpoint's answer (RFC 6749 section 5.1). */
export interface TokenResponse {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  refresh_token: string;
  scope: string;
}

/**
 * The token endpoint (OAuth 2.1 section 3.2): `authorization_code` with PKCE, and `refresh_token` with rotation.
 * Every refusal of a code or refresh token is `invalid_grant`, whatever the reason, as the RFC asks. A code used a
 * second time, or a refresh token used after it was rotated, revokes its grant: whoever replays it may have stolen
 * it, and every token of the grant ends (OAuth 2.1 sections 4.1.3 and 4.3.1).
 */
export async function exchangeToken(args: {
  ctx: EngineContext;
  oauth: OAuthSettings;
  form: Record<string, string | undefined>;
}): Promise<TokenResponse> {
  const f = args.form;
  if (!f.client_id) throw new OAuthError("invalid_request", "client_id is missing.");
  if (f.grant_type === "authorization_code") return redeemCode(args);
  if (f.grant_type === "refresh_token") return refresh(args);
  throw new OAuthError(
    "unsupported_grant_type",
    `grant_type ${String(f.grant_type ?? "(missing)").slice(0, 100)} is not supported: use authorization_code or refresh_token.`,
  );
}

async function redeemCode(args: {
  ctx: EngineContext;
  oauth: OAuthSettings;
  form: Record<string, string | undefined>;
}): Promise<TokenResponse> {
  const f = args.form;
  if (!f.code || !f.code_verifier)
    throw new OAuthError("invalid_request", "code and code_verifier are required.");
  if (!looksLikeOAuthSecret("code", f.code)) throw invalidGrant("The code is not valid.");
  const codeHash = hashOAuthSecret(f.code);
  const outcome = await args.ctx.db.transaction().execute(async (trx) => {
    const code = await lockCode(trx, codeHash);
    if (!code) return invalidGrant("The code is not valid.");
    if (code.used_at) {
      await revokeGrant(trx, code.grant_id);
      return invalidGrant("The code was already used; every token issued with it is revoked.");
    }
    // A code is spent by its first redemption, right or wrong: a guessed verifier gets one try.
    await markCodeUsed(trx, codeHash);
    if (code.expired) return invalidGrant("The code has expired; authorize again.");
    if (code.revoked_at) return invalidGrant("The grant was revoked.");
    if (code.client_id !== f.client_id) return invalidGrant("The code was issued to another client.");
    if (f.redirect_uri !== code.redirect_uri)
      return invalidGrant("redirect_uri is not the one the code was requested with.");
    if (!verifyPkce(f.code_verifier!, code.code_challenge))
      return invalidGrant("code_verifier does not match the code_challenge (PKCE S256).");
    if (f.resource !== undefined && canonicalResource(f.resource) !== code.resource)
      return new OAuthError(
        "invalid_target",
        `The code was issued for ${code.resource}, not ${f.resource.slice(0, 200)}.`,
      );
    return issue(trx, args.oauth, code.grant_id, code.scope);
  });
  if (outcome instanceof OAuthError) throw outcome;
  return outcome;
}

async function refresh(args: {
  ctx: EngineContext;
  oauth: OAuthSettings;
  form: Record<string, string | undefined>;
}): Promise<TokenResponse> {
  const f = args.form;
  if (!f.refresh_token) throw new OAuthError("invalid_request", "refresh_token is missing.");
  if (!looksLikeOAuthSecret("refresh", f.refresh_token))
    throw invalidGrant("The refresh token is not valid.");
  const tokenHash = hashOAuthSecret(f.refresh_token);
  const outcome = await args.ctx.db.transaction().execute(async (trx) => {
    const token = await lockToken(trx, tokenHash);
    if (token?.kind !== "refresh") return invalidGrant("The refresh token is not valid.");
    if (token.client_id !== f.client_id)
      return invalidGrant("The refresh token was issued to another client.");
    if (token.used_at) {
      await revokeGrant(trx, token.grant_id);
      return invalidGrant("The refresh token was already used; the grant is revoked. Authorize again.");
    }
    if (token.revoked_at || token.grant_revoked) return invalidGrant("The refresh token was revoked.");
    if (token.expired) return invalidGrant("The refresh token has expired; authorize again.");
    if (f.resource !== undefined && canonicalResource(f.resource) !== token.resource)
      return new OAuthError(
        "invalid_target",
        `The grant is for ${token.resource}, not ${f.resource.slice(0, 200)}.`,
      );
    if (f.scope?.split(" ").some((s) => s !== "" && !token.scope.split(" ").includes(s)))
      return new OAuthError("invalid_scope", "A refresh cannot widen the scope of the grant.");
    await markTokenUsed(trx, tokenHash);
    return issue(trx, args.oauth, token.grant_id, token.scope);
  });
  if (outcome instanceof OAuthError) throw outcome;
  return outcome;
}

async function issue(
  trx: Kysely<Database>,
  oauth: OAuthSettings,
  grantId: string,
  scope: string,
): Promise<TokenResponse> {
  const access = newOAuthSecret("access");
  const refreshToken = newOAuthSecret("refresh");
  const now = Date.now();
  await insertTokens(trx, [
    {
      tokenHash: hashOAuthSecret(access),
      kind: "access",
      grantId,
      expiresAt: new Date(now + oauth.accessTokenTtlMs),
    },
    {
      tokenHash: hashOAuthSecret(refreshToken),
      kind: "refresh",
      grantId,
      expiresAt: new Date(now + oauth.refreshTokenTtlMs),
    },
  ]);
  return {
    access_token: access,
    token_type: "Bearer",
    expires_in: Math.floor(oauth.accessTokenTtlMs / 1000),
    refresh_token: refreshToken,
    scope,
  };
}

function invalidGrant(description: string): OAuthError {
  return new OAuthError("invalid_grant", description);
}
