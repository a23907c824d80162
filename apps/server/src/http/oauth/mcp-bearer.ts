import { AppError } from "@mcpmediaengine/contract";
import {
  addLogFields,
  type EngineContext,
  isConnectionError,
  isOAuthAccessToken,
  resolveAccessToken,
} from "@mcpmediaengine/engine";
import type { MiddlewareHandler } from "hono";
import { errorResponse } from "../error-response";
import type { AppEnv } from "../rate-limit";
import { bearerChallenge, oauthEndpoints } from "./endpoints";

/** The resource an MCP path belongs to: the legacy HTTP+SSE transport (/sse, /messages) or Streamable HTTP (/mcp). */
function resourceOf(path: string, resources: readonly [string, string]): string {
  return path === "/mcp" ? resources[0] : resources[1];
}

/**
 * OAuth access tokens on the MCP endpoints, before the rate limiter: a token issued for this server's MCP
 * resource makes its grant's account the caller. Any other access token (unknown, expired, revoked, or issued for
 * another resource) goes on without a caller, like an API key: the rate limiter fails to resolve it, counts it
 * against the client's address, and the endpoint answers 401 `invalid_token` with the challenge that leads to a
 * new one. Access tokens work nowhere else: /v1 and /trpc take API keys and browser sessions only.
 */
export function mcpBearer(engine: EngineContext, publicUrl?: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header("authorization") ?? "")?.[1];
    if (!token || !isOAuthAccessToken(token)) return next();
    const endpoints = oauthEndpoints(publicUrl ?? new URL(c.req.url).origin);
    try {
      const caller = await resolveAccessToken({ ctx: engine, token, resources: endpoints.resources });
      if (caller) {
        c.set("caller", caller);
        addLogFields({ accountId: caller.accountId });
        return next();
      }
    } catch (error) {
      if (!isConnectionError(error)) throw error;
      c.set("databaseDown", true);
      return next();
    }
    return next();
  };
}

/** The 401 of an MCP endpoint: the error envelope, with the challenge that starts OAuth discovery (RFC 9728). */
export function mcpUnauthorized(
  requestId: string,
  request: Request,
  options: { publicUrl?: string; oauth: boolean },
): Response {
  const tokenRefused = request.headers.has("authorization");
  const endpoints = oauthEndpoints(options.publicUrl ?? new URL(request.url).origin);
  const resource = resourceOf(new URL(request.url).pathname, endpoints.resources);
  // Without the authorization server there is no metadata to point to: the plain challenge of an API key.
  const challenge = options.oauth
    ? bearerChallenge(endpoints, resource, tokenRefused)
    : 'Bearer realm="mcp-media-engine"';
  return errorResponse(
    new AppError(
      "unauthorized",
      tokenRefused
        ? "The access token or API key is not valid for this server, has expired or was revoked."
        : "Send an API key or an OAuth access token as 'Authorization: Bearer <token>'.",
    ),
    requestId,
    { "www-authenticate": challenge },
  );
}
