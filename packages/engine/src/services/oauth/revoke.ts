import type { EngineContext } from "../../context";
import { OAuthError } from "../../oauth/errors";
import { hashOAuthSecret, looksLikeOAuthSecret } from "../../oauth/secrets";
import { lockToken, revokeGrant, revokeToken } from "../../repositories/oauth";

/**
 * Token revocation (RFC 7009). Revoking a refresh token ends its grant, and with it every access token issued
 * under it (section 2.1); revoking an access token ends that token. An unknown token, or another client's, is
 * answered the same as a revoked one (200, nothing said), so the endpoint tells nothing about tokens.
 */
export async function revokeOAuthToken(args: {
  ctx: EngineContext;
  form: Record<string, string | undefined>;
}): Promise<void> {
  const { token, client_id: clientId } = args.form;
  if (!token) throw new OAuthError("invalid_request", "token is missing.");
  if (!clientId) throw new OAuthError("invalid_request", "client_id is missing.");
  if (!looksLikeOAuthSecret("access", token) && !looksLikeOAuthSecret("refresh", token)) return;
  const tokenHash = hashOAuthSecret(token);
  await args.ctx.db.transaction().execute(async (trx) => {
    const row = await lockToken(trx, tokenHash);
    if (!row || row.client_id !== clientId) return;
    if (row.kind === "refresh") await revokeGrant(trx, row.grant_id);
    else await revokeToken(trx, tokenHash);
  });
}
