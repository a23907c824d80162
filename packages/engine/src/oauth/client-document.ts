import https from "node:https";
import { AppError } from "@mcpmediaengine/contract";
import { z } from "zod";
import { resolveWebhookTarget, type WebhookTarget } from "../webhooks/address-guard";
import { OAuthError } from "./errors";
import { redirectUriProblem } from "./redirect-uris";

/** What the authorization server knows of a client, whichever way it came (metadata document or registration). */
export interface OAuthClient {
  clientId: string;
  clientName: string;
  redirectUris: string[];
  /** Where the client says it lives, shown on the consent page. */
  clientUri?: string;
  /** A metadata document (an https URL) or a registration (oac_…). */
  kind: "metadata_document" | "registered";
}

/** draft-ietf-oauth-client-id-metadata-document section 6.6: a document this large is refused. */
const MAX_DOCUMENT_BYTES = 5 * 1024;
const FETCH_TIMEOUT_MS = 5_000;
const DEFAULT_CACHE_MS = 5 * 60_000;
const MAX_CACHE_MS = 24 * 3_600_000;
const MAX_CACHED = 500;

const ClientDocument = z.object({
  client_id: z.string(),
  client_name: z.string().min(1).max(200),
  redirect_uris: z.array(z.string()).min(1).max(20),
  client_uri: z.string().optional(),
  token_endpoint_auth_method: z.string().optional(),
  grant_types: z.array(z.string()).optional(),
  response_types: z.array(z.string()).optional(),
});

/** Whether a client_id names a Client ID Metadata Document: an https URL with a path (MCP's client registration). */
export function isMetadataDocumentId(clientId: string): boolean {
  try {
    const url = new URL(clientId);
    return url.protocol === "https:" && url.pathname.length > 1 && !url.hash && !url.username;
  } catch {
    return false;
  }
}

export interface ClientDocumentOptions {
  /** MME_WEBHOOK_ALLOW_PRIVATE: documents may be on loopback and private addresses (development, tests). */
  allowPrivate: () => boolean;
  /** Certificates to trust besides the system's, for documents served by a private CA. */
  ca?: string | string[];
}

/**
 * Client ID Metadata Documents, fetched and kept for as long as their Cache-Control allows (five minutes when it
 * says nothing, a day at most). Every fetch goes through the webhooks' SSRF guard: the host is resolved once,
 * every address checked (no loopback, private, link-local or metadata address unless allowed), and the request
 * connects to the checked address. No redirects, a 5 KB limit and a 5 s timeout.
 */
export class ClientDocuments {
  private readonly cache = new Map<string, { client: OAuthClient; until: number }>();

  constructor(private readonly options: ClientDocumentOptions) {}

  async get(clientId: string): Promise<OAuthClient> {
    const cached = this.cache.get(clientId);
    if (cached && cached.until > Date.now()) return cached.client;
    this.cache.delete(clientId);
    let target: WebhookTarget;
    try {
      target = await resolveWebhookTarget(clientId, this.options.allowPrivate());
    } catch (error) {
      if (error instanceof AppError)
        throw invalidClient(clientId, error.message.replace(/^The webhook URL/, "The URL"));
      throw error;
    }
    const { body, maxAgeMs } = await fetchDocument(target, this.options.ca);
    const client = parseDocument(clientId, body);
    if (maxAgeMs > 0) {
      if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(clientId, { client, until: Date.now() + Math.min(maxAgeMs, MAX_CACHE_MS) });
    }
    return client;
  }
}

function parseDocument(clientId: string, body: string): OAuthClient {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw invalidClient(clientId, "its metadata document is not JSON");
  }
  const parsed = ClientDocument.safeParse(json);
  if (!parsed.success) {
    throw invalidClient(
      clientId,
      `its metadata document lacks or misstates ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}`,
    );
  }
  const doc = parsed.data;
  if (doc.client_id !== clientId)
    throw invalidClient(clientId, "the document's client_id is not its own URL");
  const method = doc.token_endpoint_auth_method ?? "none";
  if (method !== "none") {
    throw invalidClient(clientId, `token_endpoint_auth_method ${method} is not supported here (only none)`);
  }
  for (const uri of doc.redirect_uris) {
    const problem = redirectUriProblem(uri);
    if (problem) throw invalidClient(clientId, `its redirect URI ${problem}`);
  }
  return {
    clientId,
    clientName: doc.client_name,
    redirectUris: doc.redirect_uris,
    clientUri: doc.client_uri,
    kind: "metadata_document",
  };
}

function fetchDocument(
  target: WebhookTarget,
  ca?: string | string[],
): Promise<{ body: string; maxAgeMs: number }> {
  const clientId = target.url.href;
  return new Promise((resolve, reject) => {
    const request = https.get(target.url, {
      headers: { accept: "application/json", "user-agent": "mcp-media-engine-oauth/1" },
      agent: false,
      ca,
      timeout: FETCH_TIMEOUT_MS,
      lookup: (_host, options, callback) => {
        if ((options as { all?: boolean }).all) {
          (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [
            { address: target.address, family: target.family },
          ]);
        } else callback(null, target.address, target.family);
      },
    });
    request.on("timeout", () => request.destroy(new Error(`no answer within ${FETCH_TIMEOUT_MS / 1000} s`)));
    request.on("error", (error) =>
      reject(invalidClient(clientId, `its metadata document could not be fetched: ${error.message}`)),
    );
    request.on("response", (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        reject(invalidClient(clientId, `its metadata document answered HTTP ${response.statusCode}`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_DOCUMENT_BYTES) {
          request.destroy(new Error(`the document is larger than ${MAX_DOCUMENT_BYTES} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      response.on("end", () =>
        resolve({
          body: Buffer.concat(chunks).toString("utf8"),
          maxAgeMs: cacheLifetime(response.headers["cache-control"]),
        }),
      );
    });
  });
}

/** How long Cache-Control lets the document be kept: nothing for no-store or no-cache, max-age, else the default. */
export function cacheLifetime(header: string | undefined): number {
  if (!header) return DEFAULT_CACHE_MS;
  if (/(^|,)\s*(no-store|no-cache)\b/i.test(header)) return 0;
  const maxAge = /(^|,)\s*max-age=(\d+)/i.exec(header);
  return maxAge ? Number(maxAge[2]) * 1000 : DEFAULT_CACHE_MS;
}

function invalidClient(clientId: string, why: string): OAuthError {
  return new OAuthError("invalid_client", `The client ${clientId.slice(0, 200)} is refused: ${why}.`, 400);
}
