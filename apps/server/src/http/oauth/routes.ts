import {
  AuthorizationError,
  type AuthorizationRequest,
  approveAuthorization,
  checkAuthorizationRequest,
  type EngineContext,
  exchangeToken,
  OAuthError,
  type OAuthSettings,
  registerOAuthClient,
  resolveSession,
  revokeOAuthToken,
} from "@mcpmediaengine/engine";
import { type Context, Hono } from "hono";
import { cors } from "hono/cors";
import { clientKey, TrustedProxies } from "../client-address";
import { FailedAuthLimiter } from "../failed-auth-limiter";
import { isOwnOrigin } from "../origin";
import type { AppEnv } from "../rate-limit";
import { readSessionCookie } from "../session-cookie";
import { CONSENT_CSS, consentPage, errorPage, signInPage } from "./consent-page";
import {
  authorizationServerMetadata,
  type OAuthEndpoints,
  oauthEndpoints,
  protectedResourceMetadata,
} from "./endpoints";

/**
 * The engine as the OAuth 2.1 authorization server of its own MCP endpoints: the metadata documents (RFC 9728,
 * RFC 8414), the authorization endpoint with the consent page (the person signs in with the console's session),
 * the token endpoint, revocation (RFC 7009) and Dynamic Client Registration (RFC 7591). Thin: the engine's
 * services decide; this reads forms and writes OAuth's answers.
 */
export function oauthRoutes(
  engine: EngineContext,
  oauth: OAuthSettings,
  options: { publicUrl?: string; trustedProxies?: TrustedProxies; registrationsPerHour?: number },
): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // Registration needs no account, and each one is a row: counted per client address, in this process's memory.
  const registrations = new FailedAuthLimiter(options.registrationsPerHour ?? 60, 50_000, 3_600_000);
  const trusted = options.trustedProxies ?? new TrustedProxies();
  const endpointsOf = (c: Context<AppEnv>) => oauthEndpoints(options.publicUrl ?? new URL(c.req.url).origin);

  // Browser-based MCP clients read the metadata and call the token endpoint from their own origin. No cookie is
  // ever read on these routes, so any origin may.
  const open = cors({ origin: "*", allowHeaders: ["content-type", "authorization", "mcp-protocol-version"] });
  app.use("/.well-known/*", open);
  app.use("/oauth/token", open);
  app.use("/oauth/revoke", open);
  app.use("/oauth/register", open);

  const resourceMetadata = (index: 0 | 1) => (c: Context<AppEnv>) => {
    const endpoints = endpointsOf(c);
    return c.json(protectedResourceMetadata(endpoints, endpoints.resources[index]));
  };
  // The MCP endpoint's own metadata (path-suffixed, RFC 9728 section 3.1), and at the root for clients that look
  // there first: both name /mcp, the server's canonical resource.
  app.get("/.well-known/oauth-protected-resource", resourceMetadata(0));
  app.get("/.well-known/oauth-protected-resource/mcp", resourceMetadata(0));
  app.get("/.well-known/oauth-protected-resource/sse", resourceMetadata(1));
  app.get("/.well-known/oauth-authorization-server", (c) =>
    c.json(authorizationServerMetadata(endpointsOf(c))),
  );

  app.get("/oauth/consent.css", () => new Response(CONSENT_CSS, { headers: { "content-type": "text/css" } }));

  app.get("/oauth/authorize", async (c) => {
    const params = c.req.query();
    return authorize(engine, oauth, endpointsOf(c), params, async (request) => {
      const token = readSessionCookie(c);
      const session = token === undefined ? undefined : await resolveSession({ ctx: engine, token });
      const url = new URL(c.req.url);
      if (!session) return signInPage(request.client.clientName, `${url.pathname}${url.search}`);
      return consentPage({
        request,
        params,
        accountName: session.session.accountName,
        email: session.session.email,
      });
    });
  });

  // The person's answer. A browser form of our own page: the session cookie says who, and the Origin must be ours
  // (another site's page must not approve on a visitor's behalf).
  app.post("/oauth/authorize", async (c) => {
    if (!isOwnOrigin(c.req.raw, options.publicUrl)) {
      return errorPage(
        403,
        "Not from this server",
        "Answers to an authorization request come from this server's own page.",
      );
    }
    let form: Record<string, string | undefined>;
    try {
      form = await formOf(c);
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      return errorPage(400, "This answer cannot be read", error.description);
    }
    const token = readSessionCookie(c);
    const session = token === undefined ? undefined : await resolveSession({ ctx: engine, token });
    if (!session)
      return errorPage(401, "Signed out", "Your session has ended. Start connecting the app again.");
    const endpoints = endpointsOf(c);
    return authorize(engine, oauth, endpoints, form, async (request) => {
      if (form.decision !== "allow") {
        return redirectBack(request.redirectUri, endpoints, {
          error: "access_denied",
          error_description: "The person denied the request.",
          state: request.state,
        });
      }
      const caller = session.caller;
      const { code } = await approveAuthorization({
        ctx: engine,
        oauth,
        request,
        caller,
        userId: session.session.method === "password" ? caller.keyId : null,
      });
      return redirectBack(request.redirectUri, endpoints, { code, state: request.state });
    });
  });

  app.post("/oauth/token", async (c) =>
    oauthAnswer(async () => c.json(await exchangeToken({ ctx: engine, oauth, form: await formOf(c) }))),
  );

  app.post("/oauth/revoke", async (c) =>
    oauthAnswer(async () => {
      await revokeOAuthToken({ ctx: engine, form: await formOf(c) });
      return c.body(null, 200);
    }),
  );

  app.post("/oauth/register", async (c) =>
    oauthAnswer(async () => {
      const address = clientKey(
        c.env?.incoming?.socket.remoteAddress,
        c.req.header("x-forwarded-for"),
        trusted,
      );
      const wait = registrations.waitSeconds(address) || registrations.fail(address);
      if (wait > 0) {
        const refused = new OAuthError(
          "temporarily_unavailable",
          `Too many registrations from this address; try again in ${wait} s.`,
          429,
        );
        return c.json(refused.toJSON(), 429, { "retry-after": String(wait) });
      }
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        throw new OAuthError("invalid_client_metadata", "The body is not JSON.");
      }
      return c.json(await registerOAuthClient({ ctx: engine, input: body }), 201);
    }),
  );

  return app;
}

/** Checks the request, then `next`; errors go to the person (bad client or redirect URI) or back to the client. */
async function authorize(
  engine: EngineContext,
  oauth: OAuthSettings,
  endpoints: OAuthEndpoints,
  params: Record<string, string | undefined>,
  next: (request: AuthorizationRequest) => Promise<Response>,
): Promise<Response> {
  let request: AuthorizationRequest;
  try {
    request = await checkAuthorizationRequest({ ctx: engine, oauth, params, resources: endpoints.resources });
  } catch (error) {
    if (!(error instanceof AuthorizationError)) throw error;
    if (!error.redirectUri) return errorPage(400, "This app cannot connect", error.description);
    return redirectBack(error.redirectUri, endpoints, {
      error: error.code,
      error_description: error.description,
      state: error.state,
    });
  }
  return next(request);
}

/** The authorization response (query mode), with `iss` (RFC 9207) so the client can tell which server answered. */
function redirectBack(
  redirectUri: string,
  endpoints: OAuthEndpoints,
  params: Record<string, string | undefined>,
): Response {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params))
    if (value !== undefined) url.searchParams.set(name, value);
  url.searchParams.set("iss", endpoints.issuer);
  // 303: after the consent form's POST the browser follows with a GET.
  return new Response(null, { status: 303, headers: { location: url.href, "cache-control": "no-store" } });
}

/** OAuth's error body and status; the token endpoint's answers are never cached (RFC 6749 section 5.1). */
async function oauthAnswer(run: () => Promise<Response>): Promise<Response> {
  let response: Response;
  try {
    response = await run();
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    response = new Response(JSON.stringify(error.toJSON()), {
      status: error.status,
      headers: { "content-type": "application/json" },
    });
  }
  response.headers.set("cache-control", "no-store");
  response.headers.set("pragma", "no-cache");
  return response;
}

async function formOf(c: Context<AppEnv>): Promise<Record<string, string | undefined>> {
  const type = c.req.header("content-type") ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data")) {
    throw new OAuthError("invalid_request", "Send the parameters as application/x-www-form-urlencoded.");
  }
  const body = await c.req.parseBody();
  const form: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(body)) if (typeof value === "string") form[name] = value;
  return form;
}
