import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from "@modelcontextprotocol/sdk/shared/auth.js";
import type { Browser } from "./session-client";

/** A self-signed certificate for 127.0.0.1, made with the system's openssl. */
export function selfSignedCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), "mme-oauth-cert-"));
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-days",
      "2",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
      "-keyout",
      join(dir, "key.pem"),
      "-out",
      join(dir, "cert.pem"),
    ],
    { stdio: "ignore" },
  );
  return {
    key: readFileSync(join(dir, "key.pem"), "utf8"),
    cert: readFileSync(join(dir, "cert.pem"), "utf8"),
  };
}

/** Where an MCP client lives: its Client ID Metadata Document over https, and a loopback redirect target. */
export interface ClientSite {
  /** The client_id: the document's https URL. */
  clientId: string;
  redirectUri: string;
  /** Every request the document server answered. */
  fetches: number;
  /** The query strings the callback received. */
  callbacks: URLSearchParams[];
  close(): Promise<void>;
}

export async function startClientSite(tls: { key: string; cert: string }, name: string): Promise<ClientSite> {
  const callback = createHttpServer((req, res) => {
    site.callbacks.push(new URL(req.url ?? "/", "http://127.0.0.1").searchParams);
    res.writeHead(200, { "content-type": "text/html" }).end("<p>You can close this window.</p>");
  });
  await listen(callback);
  const redirectUri = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/callback`;
  const documents = createHttpsServer(tls, (req, res) => {
    site.fetches++;
    // A document that names another client_id than its own URL: an impostor's.
    if (req.url === "/oauth/impostor.json") {
      return void res
        .writeHead(200, { "content-type": "application/json" })
        .end(
          JSON.stringify({ client_id: site.clientId, client_name: "Impostor", redirect_uris: [redirectUri] }),
        );
    }
    if (req.url !== "/oauth/client.json") return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": "application/json", "cache-control": "max-age=60" }).end(
      JSON.stringify({
        client_id: site.clientId,
        client_name: name,
        client_uri: "https://client.example",
        redirect_uris: [redirectUri],
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        token_endpoint_auth_method: "none",
      }),
    );
  });
  await listen(documents);
  const site: ClientSite = {
    clientId: `https://127.0.0.1:${(documents.address() as AddressInfo).port}/oauth/client.json`,
    redirectUri,
    fetches: 0,
    callbacks: [],
    close: async () => {
      await Promise.all([close(callback), close(documents)]);
    },
  };
  return site;
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** The MCP SDK's OAuth client provider, as a host implements it: it keeps what the SDK hands it in memory. */
export class TestOAuthProvider implements OAuthClientProvider {
  info?: OAuthClientInformationMixed;
  saved?: OAuthTokens;
  verifier = "";
  authorizationUrl?: URL;

  readonly clientMetadataUrl: string | undefined;

  /** Without the metadata document the SDK falls back to Dynamic Client Registration. */
  constructor(
    private readonly site: ClientSite,
    options: { metadataDocument?: boolean } = {},
  ) {
    this.clientMetadataUrl = options.metadataDocument === false ? undefined : site.clientId;
  }

  get redirectUrl(): string {
    return this.site.redirectUri;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: "Test host",
      redirect_uris: [this.site.redirectUri],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    };
  }

  state(): string {
    return "state-of-the-test";
  }

  clientInformation() {
    return this.info;
  }

  saveClientInformation(info: OAuthClientInformationMixed): void {
    this.info = info;
  }

  tokens() {
    return this.saved;
  }

  saveTokens(tokens: OAuthTokens): void {
    this.saved = tokens;
  }

  redirectToAuthorization(url: URL): void {
    this.authorizationUrl = url;
  }

  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }

  codeVerifier(): string {
    return this.verifier;
  }
}

/** The consent page's hidden fields, as the browser would send them back. */
export function consentFields(html: string): URLSearchParams {
  const form = new URLSearchParams();
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    form.set(match[1]!, decodeEntities(match[2]!));
  }
  return form;
}

function decodeEntities(text: string): string {
  return text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}

/**
 * A signed-in person opens the authorization URL, reads the consent page and answers it; the redirect back to the
 * client (303) is returned as its URL.
 */
export async function answerConsent(
  person: Browser,
  authorizationUrl: URL | string,
  decision: "allow" | "deny",
): Promise<{ page: string; location: URL }> {
  const url = new URL(authorizationUrl);
  const shown = await person.request(`${url.pathname}${url.search}`);
  const page = await shown.text();
  if (shown.status !== 200)
    throw new Error(`the consent page answered ${shown.status}: ${page.slice(0, 300)}`);
  const form = consentFields(page);
  form.set("decision", decision);
  const answered = await person.request("/oauth/authorize", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form.toString(),
    redirect: "manual",
  });
  if (answered.status !== 303) throw new Error(`the answer was ${answered.status}: ${await answered.text()}`);
  return { page, location: new URL(answered.headers.get("location")!) };
}

/** A PKCE pair (RFC 7636, S256). */
export async function pkcePair(): Promise<{ verifier: string; challenge: string }> {
  const { createHash, randomBytes } = await import("node:crypto");
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

/** POSTs a form to the token (or revocation) endpoint; the status and the JSON body. */
export async function postForm(
  url: string,
  fields: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
