import { OAUTH_SCOPE } from "@mcpmediaengine/engine";

/**
 * Where everything OAuth lives, for one base URL (MME_PUBLIC_URL, else the request's origin). The engine is its
 * own authorization server; its issuer is the base URL, so clients find its metadata at the RFC 8414 default.
 */
export interface OAuthEndpoints {
  issuer: string;
  /** The MCP endpoints a token may be issued for (RFC 8707 resource indicators, canonical): /mcp first. */
  resources: [mcp: string, sse: string];
  resourceMetadata(resource: string): string;
}

export function oauthEndpoints(base: string): OAuthEndpoints {
  const issuer = base.replace(/\/+$/, "");
  return {
    issuer,
    resources: [`${issuer}/mcp`, `${issuer}/sse`],
    resourceMetadata: (resource) =>
      `${issuer}/.well-known/oauth-protected-resource${new URL(resource).pathname}`,
  };
}

/** RFC 9728: the protected resource's metadata. */
export function protectedResourceMetadata(endpoints: OAuthEndpoints, resource: string) {
  return {
    resource,
    authorization_servers: [endpoints.issuer],
    scopes_supported: [OAUTH_SCOPE],
    bearer_methods_supported: ["header"],
    resource_name: "MCP Media Engine",
    resource_documentation: `${endpoints.issuer}/docs`,
  };
}

/** RFC 8414: the authorization server's metadata, with MCP's PKCE and Client ID Metadata Document fields. */
export function authorizationServerMetadata(endpoints: OAuthEndpoints) {
  const base = endpoints.issuer;
  return {
    issuer: base,
    authorization_endpoint: `${base}/oauth/authorize`,
    token_endpoint: `${base}/oauth/token`,
    registration_endpoint: `${base}/oauth/register`,
    revocation_endpoint: `${base}/oauth/revoke`,
    scopes_supported: [OAUTH_SCOPE, "offline_access"],
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: ["authorization_code", "refresh_token"],
    token_endpoint_auth_methods_supported: ["none"],
    revocation_endpoint_auth_methods_supported: ["none"],
    code_challenge_methods_supported: ["S256"],
    client_id_metadata_document_supported: true,
    authorization_response_iss_parameter_supported: true,
    service_documentation: `${base}/docs`,
  };
}

/**
 * The challenge of a 401 on an MCP endpoint (RFC 6750 section 3, RFC 9728 section 5.1): where the resource's
 * metadata is, the scope to ask for, and, when a token was sent and refused, `invalid_token`.
 */
export function bearerChallenge(endpoints: OAuthEndpoints, resource: string, tokenRefused: boolean): string {
  const parts = [
    ...(tokenRefused
      ? ['error="invalid_token"', 'error_description="The access token is not valid for this resource"']
      : []),
    `resource_metadata="${endpoints.resourceMetadata(resource)}"`,
    `scope="${OAUTH_SCOPE}"`,
  ];
  return `Bearer ${parts.join(", ")}`;
}
