import { createHash } from "node:crypto";
import { describeTools, MODERN_PROTOCOL_VERSIONS, SERVER_INFO } from "@mcpmediaengine/mcp";
import { SUPPORTED_PROTOCOL_VERSIONS } from "@modelcontextprotocol/sdk/types.js";
import { Hono } from "hono";
import { oauthEndpoints } from "./oauth/endpoints";
import type { AppEnv } from "./rate-limit";

const SCHEMA = "https://static.modelcontextprotocol.io/schemas/v1/server-card.schema.json";
const META = "io.github.mcp-media-engine/server";

/**
 * The MCP Server Card (SEP-2127, as the Server Card working group's experimental extension defines it) for this
 * engine at `base`: who it is, its two remote transports, how to authenticate, and, under our own `_meta` key
 * (the card itself lists no primitives), its tools as tools/list gives them.
 */
export async function serverCard(base: string, oauth = true) {
  const endpoints = oauthEndpoints(base);
  const host = new URL(base).hostname.replace(/^\[|\]$/g, "");
  const authorization = {
    name: "Authorization",
    description: oauth
      ? "An API key of your account, or an OAuth access token this server issues (discovery starts at the protected resource metadata)."
      : "An API key of your account.",
    isRequired: true,
    isSecret: true,
    value: "Bearer {token}",
    variables: {
      token: {
        description: "An API key (mme_sk_…) or an OAuth access token.",
        isRequired: true,
        isSecret: true,
      },
    },
  };
  return {
    $schema: SCHEMA,
    name: `${reverseDns(host)}/${SERVER_INFO.name}`,
    version: SERVER_INFO.version,
    title: "MCP Media Engine",
    description:
      "Generate images, video and speech as jobs, with progress, previews and signed download links.",
    websiteUrl: base,
    remotes: [
      {
        type: "streamable-http",
        url: endpoints.resources[0],
        headers: [authorization],
        // /mcp serves 2026-07-28 (2.x SDK) and the 1.x SDK's Streamable HTTP revisions, newest first.
        supportedProtocolVersions: [
          ...MODERN_PROTOCOL_VERSIONS,
          ...SUPPORTED_PROTOCOL_VERSIONS.filter((v) => v >= "2025-03-26"),
        ],
      },
      {
        type: "sse",
        url: endpoints.resources[1],
        headers: [authorization],
        supportedProtocolVersions: ["2024-11-05"],
      },
    ],
    _meta: {
      [META]: {
        latestProtocolVersion: MODERN_PROTOCOL_VERSIONS[0],
        authorization: oauth
          ? {
              methods: ["oauth2", "api_key"],
              protectedResourceMetadata: endpoints.resourceMetadata(endpoints.resources[0]),
              authorizationServer: `${endpoints.issuer}/.well-known/oauth-authorization-server`,
            }
          : { methods: ["api_key"] },
        tools: await describeTools(),
      },
    },
  };
}

/** The AI Catalog (`/.well-known/ai-catalog.json`) naming this engine's one server card. */
export function aiCatalog(base: string) {
  const host = new URL(base).hostname.replace(/^\[|\]$/g, "");
  return {
    specVersion: "1.0",
    entries: [
      {
        identifier: `urn:air:${host}:mcp:${SERVER_INFO.name}`,
        type: "application/mcp-server-card+json",
        url: `${base}/mcp/server-card`,
      },
    ],
  };
}

/** `media.example.com` → `com.example.media`; an address or a single label stays as it is. */
function reverseDns(host: string): string {
  if (/^[\d.]+$/.test(host) || host.includes(":") || !host.includes(".")) return host.replace(/:/g, "-");
  return host.split(".").reverse().join(".");
}

/**
 * Discovery documents, public and read-only: the server card at the location the proposal reserves
 * (`<streamable-http-url>/server-card`) and at `/.well-known/mcp/server-card.json`, and the AI Catalog. CORS open,
 * an hour's caching, ETag and 304 as the proposal asks.
 */
export function discoveryRoutes(options: { publicUrl?: string; oauth: boolean }): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const baseOf = (url: string) => (options.publicUrl ?? new URL(url).origin).replace(/\/+$/, "");
  const send = (request: Request, type: string, body: unknown) => {
    const text = JSON.stringify(body);
    const etag = `"${createHash("sha256").update(text).digest("base64url").slice(0, 27)}"`;
    const headers = {
      "content-type": type,
      "cache-control": "public, max-age=3600",
      etag,
      "access-control-allow-origin": "*",
      "access-control-allow-methods": "GET",
      "access-control-allow-headers": "Content-Type, If-None-Match",
      "access-control-expose-headers": "ETag",
    };
    if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
    return new Response(text, { headers });
  };
  const card = async (c: { req: { raw: Request; url: string } }) =>
    send(c.req.raw, "application/mcp-server-card+json", await serverCard(baseOf(c.req.url), options.oauth));
  app.get("/mcp/server-card", card);
  app.get("/.well-known/mcp/server-card.json", card);
  app.get("/.well-known/ai-catalog.json", (c) =>
    send(c.req.raw, "application/ai-catalog+json", aiCatalog(baseOf(c.req.url))),
  );
  return app;
}
