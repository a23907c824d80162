/**
 * An OAuth error as RFC 6749 (sections 4.1.2.1 and 5.2), RFC 7591 and RFC 8707 name them. The OAuth endpoints
 * answer in OAuth's own shape (`{ error, error_description }`), which clients of every library read, not in the
 * API's error envelope; each code is one of the RFCs' closed set.
 */
export type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "unsupported_response_type"
  | "invalid_scope"
  | "invalid_target"
  | "access_denied"
  | "invalid_redirect_uri"
  | "invalid_client_metadata"
  | "temporarily_unavailable";

export class OAuthError extends Error {
  constructor(
    readonly code: OAuthErrorCode,
    readonly description: string,
    /** invalid_client is 401 at the token endpoint (RFC 6749 section 5.2); the rest are 400 (429 when limited). */
    readonly status: 400 | 401 | 429 | 503 = code === "invalid_client" ? 401 : 400,
  ) {
    super(description);
    this.name = "OAuthError";
  }

  toJSON(): { error: OAuthErrorCode; error_description: string } {
    return { error: this.code, error_description: this.description };
  }
}
