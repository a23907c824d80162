import { newId } from "@mcpmediaengine/contract";
import { z } from "zod";
import type { EngineContext } from "../../context";
import { isMetadataDocumentId, type OAuthClient } from "../../oauth/client-document";
import { OAuthError } from "../../oauth/errors";
import { redirectUriProblem } from "../../oauth/redirect-uris";
import type { OAuthSettings } from "../../oauth/settings";
import { findOAuthClient, insertOAuthClient } from "../../repositories/oauth";

/** The client a client_id names: its metadata document (an https URL), or its registration (oac_…). */
export async function resolveOAuthClient(args: {
  ctx: EngineContext;
  oauth: OAuthSettings;
  clientId: string | undefined;
}): Promise<OAuthClient> {
  const clientId = args.clientId;
  if (!clientId) throw new OAuthError("invalid_request", "client_id is missing.");
  if (isMetadataDocumentId(clientId)) return args.oauth.documents.get(clientId);
  const row = clientId.startsWith("oac_") ? await findOAuthClient(args.ctx.db, clientId) : undefined;
  if (!row) {
    throw new OAuthError(
      "invalid_client",
      "Unknown client_id: use the https URL of your Client ID Metadata Document, or register at the registration endpoint.",
      400,
    );
  }
  return {
    clientId: row.id,
    clientName: row.client_name,
    redirectUris: row.redirect_uris,
    kind: "registered",
  };
}

const Registration = z.object({
  redirect_uris: z.array(z.string()).min(1).max(20),
  client_name: z.string().min(1).max(200).optional(),
  client_uri: z.string().max(2000).optional(),
  token_endpoint_auth_method: z.string().optional(),
  grant_types: z.array(z.string()).optional(),
  response_types: z.array(z.string()).optional(),
  scope: z.string().max(1000).optional(),
  software_id: z.string().max(200).optional(),
  software_version: z.string().max(200).optional(),
});

/**
 * Dynamic Client Registration (RFC 7591), kept for hosts that predate Client ID Metadata Documents. Every client
 * is public (no secret: PKCE protects its codes); the answer says `token_endpoint_auth_method: none` whatever
 * was asked (RFC 7591 section 3.2.1 lets the server replace a requested value).
 */
export async function registerOAuthClient(args: { ctx: EngineContext; input: unknown }) {
  const parsed = Registration.safeParse(args.input);
  if (!parsed.success) {
    throw new OAuthError(
      "invalid_client_metadata",
      `The registration lacks or misstates ${parsed.error.issues.map((i) => i.path.join(".") || "the body").join(", ")}.`,
    );
  }
  const input = parsed.data;
  for (const uri of input.redirect_uris) {
    const problem = redirectUriProblem(uri);
    if (problem) throw new OAuthError("invalid_redirect_uri", `The redirect URI ${problem}.`);
  }
  const grantTypes = input.grant_types ?? ["authorization_code", "refresh_token"];
  const unsupported = grantTypes.filter((g) => g !== "authorization_code" && g !== "refresh_token");
  if (unsupported.length > 0)
    throw new OAuthError(
      "invalid_client_metadata",
      `grant_types ${unsupported.join(", ")} are not supported.`,
    );
  if (input.response_types?.some((r) => r !== "code"))
    throw new OAuthError("invalid_client_metadata", "Only the response type code is supported.");
  const clientName = input.client_name ?? "An unnamed MCP client";
  const metadata = {
    client_name: clientName,
    ...(input.client_uri ? { client_uri: input.client_uri } : {}),
    redirect_uris: input.redirect_uris,
    grant_types: grantTypes,
    response_types: ["code"],
    token_endpoint_auth_method: "none",
    ...(input.software_id ? { software_id: input.software_id } : {}),
    ...(input.software_version ? { software_version: input.software_version } : {}),
  };
  const id = newId("oauthClient");
  const createdAt = await insertOAuthClient(args.ctx.db, {
    id,
    clientName,
    redirectUris: input.redirect_uris,
    metadata,
  });
  return { client_id: id, client_id_issued_at: Math.floor(createdAt.getTime() / 1000), ...metadata };
}
