import type { ClientDocuments } from "./client-document";

/** The authorization server's settings, built once per process by the transport that serves it. */
export interface OAuthSettings {
  /** How long an access token works (MME_OAUTH_ACCESS_TOKEN_TTL_SECONDS). */
  accessTokenTtlMs: number;
  /** How long a refresh token works unused (MME_OAUTH_REFRESH_TOKEN_TTL_DAYS); each use issues a new one. */
  refreshTokenTtlMs: number;
  /** How long an authorization code may wait to be redeemed. */
  codeTtlMs: number;
  documents: ClientDocuments;
}

/** The one scope: the account's MCP tools and resources. Finer scopes can come without breaking clients. */
export const OAUTH_SCOPE = "mcp";

export const DEFAULT_OAUTH_TTLS = {
  accessTokenTtlMs: 3_600_000,
  refreshTokenTtlMs: 30 * 24 * 3_600_000,
  codeTtlMs: 5 * 60_000,
};
