import type { Caller } from "@mcpmediaengine/engine";
import { createMcpHandler, isLegacyRequest } from "@modelcontextprotocol/server";
import type { MediaBackend } from "../backend";
import type { ToolOptions } from "../tools";
import { createModernServer } from "./server";

export interface ModernHttpOptions extends ToolOptions {
  backendFor(caller: Caller, request: Request): MediaBackend;
}

/** Serves one 2026-07-28 request for an authenticated caller. */
export type ModernHttp = (request: Request, parsedBody: unknown, caller: Caller) => Promise<Response>;

/**
 * Protocol 2026-07-28 over Streamable HTTP: stateless, one server per request (`createMcpHandler` of the 2.x SDK,
 * which answers `server/discover`, reads the per-request `_meta` envelope, checks the routing headers against the
 * body and adds the cache fields). It serves only requests that carry the 2026 envelope; 2025-11-25 traffic stays
 * on the sessions of http.ts. The caller, already authenticated, reaches the server's factory in `authInfo`.
 */
export function modernHttp(options: ModernHttpOptions): ModernHttp {
  const handler = createMcpHandler(
    ({ authInfo, requestInfo }) => {
      // Always set by the fetch below: this handler is only reached with an authenticated caller.
      const { caller, request } = authInfo!.extra as { caller: Caller; request: Request };
      return createModernServer(options.backendFor(caller, requestInfo ?? request), options);
    },
    { legacy: "reject", onerror: (error) => options.log?.(`MCP 2026-07-28 request: ${error.message}`) },
  );
  return (request, parsedBody, caller) =>
    handler.fetch(request, {
      parsedBody,
      authInfo: { token: "", clientId: caller.keyId ?? "", scopes: [], extra: { caller, request } },
    });
}

/** Whether a POST's body belongs to the 2026-07-28 revision (it carries the per-request `_meta` envelope). */
export async function isModernRequest(request: Request, parsedBody: unknown): Promise<boolean> {
  return request.method === "POST" && !(await isLegacyRequest(request, parsedBody));
}
