import { newId } from "@mcpmediaengine/contract";
import type { Caller, EngineContext } from "../../context";
import type { OAuthClient } from "../../oauth/client-document";
import { OAuthError } from "../../oauth/errors";
import { matchesRegisteredRedirect } from "../../oauth/redirect-uris";
import { canonicalResource } from "../../oauth/resource";
import { hashOAuthSecret, isS256Challenge, newOAuthSecret } from "../../oauth/secrets";
import { OAUTH_SCOPE, type OAuthSettings } from "../../oauth/settings";
import { deleteEndedOAuthRows, insertCode, insertGrant } from "../../repositories/oauth";
import { resolveOAuthClient } from "./clients";

/** An authorization request that passed every check: what the consent page shows and what approval grants. */
export interface AuthorizationRequest {
  client: OAuthClient;
  redirectUri: string;
  codeChallenge: string;
  state?: string;
  scope: string;
  resource: string;
}

/**
 * An error of an authorization request. Until the client and its redirect URI are known good it is shown to the
 * person (`redirectUri` unset: never send a browser to an unchecked address); after, it goes back to the client.
 */
export class AuthorizationError extends OAuthError {
  constructor(
    error: OAuthError,
    readonly redirectUri?: string,
    readonly state?: string,
  ) {
    super(error.code, error.description, 400);
  }
}

/**
 * Checks an authorization request (OAuth 2.1 section 4.1.1): the client (metadata document or registration), the
 * redirect URI against the registered ones, response_type code, a PKCE S256 challenge (plain is refused), the
 * scope, and the resource (RFC 8707), which must be one of this server's MCP endpoints (`resources`, canonical);
 * without one, the first of them.
 */
export async function checkAuthorizationRequest(args: {
  ctx: EngineContext;
  oauth: OAuthSettings;
  params: Record<string, string | undefined>;
  resources: readonly string[];
}): Promise<AuthorizationRequest> {
  const p = args.params;
  let client: OAuthClient;
  try {
    client = await resolveOAuthClient({ ctx: args.ctx, oauth: args.oauth, clientId: p.client_id });
  } catch (error) {
    if (error instanceof OAuthError) throw new AuthorizationError(error);
    throw error;
  }
  const redirectUri =
    p.redirect_uri ?? (client.redirectUris.length === 1 ? client.redirectUris[0] : undefined);
  if (!redirectUri) {
    throw new AuthorizationError(
      new OAuthError("invalid_request", "redirect_uri is missing, and the client registered more than one."),
    );
  }
  if (!matchesRegisteredRedirect(redirectUri, client.redirectUris)) {
    throw new AuthorizationError(
      new OAuthError(
        "invalid_request",
        `redirect_uri ${redirectUri.slice(0, 200)} is not one the client ${client.clientName} registered.`,
      ),
    );
  }
  const back = (code: ConstructorParameters<typeof OAuthError>[0], description: string) =>
    new AuthorizationError(new OAuthError(code, description), redirectUri, p.state);
  if (p.response_type !== "code")
    throw back("unsupported_response_type", "Only response_type=code is supported.");
  if (!p.code_challenge) throw back("invalid_request", "PKCE is required: send code_challenge (S256).");
  if (p.code_challenge_method !== "S256")
    throw back("invalid_request", "code_challenge_method must be S256 (plain is not accepted).");
  if (!isS256Challenge(p.code_challenge))
    throw back("invalid_request", "code_challenge is not the base64url of a SHA-256 digest.");
  const scopes = (p.scope ?? OAUTH_SCOPE).split(" ").filter((s) => s !== "" && s !== "offline_access");
  const unknown = scopes.filter((s) => s !== OAUTH_SCOPE);
  if (unknown.length > 0)
    throw back("invalid_scope", `Unknown scope ${unknown.join(" ")}: the one scope is mcp.`);
  const resource = p.resource === undefined ? args.resources[0] : canonicalResource(p.resource);
  if (!resource || !args.resources.includes(resource)) {
    throw back(
      "invalid_target",
      `This server issues tokens for ${args.resources.join(" and ")} only, not ${String(p.resource).slice(0, 200)}.`,
    );
  }
  return {
    client,
    redirectUri,
    codeChallenge: p.code_challenge,
    state: p.state,
    scope: OAUTH_SCOPE,
    resource,
  };
}

/**
 * The person approved: a grant for their account, and a one-use code (only its hash kept) bound to the client,
 * the redirect URI and the PKCE challenge.
 */
export async function approveAuthorization(args: {
  ctx: EngineContext;
  oauth: OAuthSettings;
  request: AuthorizationRequest;
  caller: Caller;
  userId: string | null;
}): Promise<{ code: string; grantId: string }> {
  const { request } = args;
  const code = newOAuthSecret("code");
  const grantId = newId("oauthGrant");
  await args.ctx.db.transaction().execute(async (trx) => {
    await deleteEndedOAuthRows(trx);
    await insertGrant(trx, {
      id: grantId,
      accountId: args.caller.accountId,
      userId: args.userId,
      clientId: request.client.clientId,
      clientName: request.client.clientName,
      resource: request.resource,
      scope: request.scope,
    });
    await insertCode(trx, {
      codeHash: hashOAuthSecret(code),
      grantId,
      redirectUri: request.redirectUri,
      codeChallenge: request.codeChallenge,
      expiresAt: new Date(Date.now() + args.oauth.codeTtlMs),
    });
  });
  return { code, grantId };
}
