import type { Account } from "@mcpmediaengine/contract";
import { auth, UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  OAuthMetadataSchema,
  OAuthProtectedResourceMetadataSchema,
} from "@modelcontextprotocol/sdk/shared/auth.js";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestServer, type TestServer } from "./harness";
import { callTool } from "./mcp-client";
import {
  answerConsent,
  type ClientSite,
  pkcePair,
  postForm,
  selfSignedCertificate,
  startClientSite,
  TestOAuthProvider,
} from "./oauth-client";
import { type Browser, browser, signUp } from "./session-client";

let server: TestServer;
let site: ClientSite;
let person: Browser;
let accountId: string;
const clients: Client[] = [];

beforeAll(async () => {
  const tls = selfSignedCertificate();
  site = await startClientSite(tls, "Claude Test Host");
  server = await startTestServer({
    role: "api",
    env: { MME_SIGNUP: "open" },
    start: { oauthClientCa: tls.cert },
  });
  person = browser(server);
  const signedUp = await signUp(person, "oauth-person@example.com");
  accountId = ((await signedUp.json()) as { session: { accountId: string } }).session.accountId;
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server?.stop();
  await site?.close();
});

async function connect(provider: TestOAuthProvider): Promise<Client> {
  const client = new Client({ name: "oauth-test", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { authProvider: provider }),
  );
  clients.push(client);
  return client;
}

/** A code for the site's client, approved by the signed-in person, with PKCE and /mcp as the resource. */
async function approvedCode(overrides: Record<string, string> = {}) {
  const { verifier, challenge } = await pkcePair();
  const query = new URLSearchParams({
    response_type: "code",
    client_id: site.clientId,
    redirect_uri: site.redirectUri,
    code_challenge: challenge,
    code_challenge_method: "S256",
    state: "s1",
    resource: `${server.url}/mcp`,
    ...overrides,
  });
  const { location } = await answerConsent(person, `${server.url}/oauth/authorize?${query}`, "allow");
  return { code: location.searchParams.get("code")!, verifier, location };
}

function redeem(code: string, verifier: string, extra: Record<string, string> = {}) {
  return postForm(`${server.url}/oauth/token`, {
    grant_type: "authorization_code",
    code,
    code_verifier: verifier,
    client_id: site.clientId,
    redirect_uri: site.redirectUri,
    resource: `${server.url}/mcp`,
    ...extra,
  });
}

function mcpWith(token: string, base = server.url) {
  return fetch(`${base}/mcp`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
    },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", params: {} }),
  });
}

test("an MCP request without credentials is 401 with the challenge that starts discovery; both metadata documents validate", async () => {
  const response = await fetch(`${server.url}/mcp`, { method: "POST" });
  expect(response.status).toBe(401);
  const challenge = response.headers.get("www-authenticate")!;
  expect(challenge).toBe(
    `Bearer resource_metadata="${server.url}/.well-known/oauth-protected-resource/mcp", scope="mcp"`,
  );

  for (const path of ["/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource"]) {
    const prm = OAuthProtectedResourceMetadataSchema.parse(
      await (await fetch(`${server.url}${path}`)).json(),
    );
    expect(prm).toMatchObject({ resource: `${server.url}/mcp`, authorization_servers: [server.url] });
  }
  const sse = await (await fetch(`${server.url}/.well-known/oauth-protected-resource/sse`)).json();
  expect(sse).toMatchObject({ resource: `${server.url}/sse` });

  const asResponse = await fetch(`${server.url}/.well-known/oauth-authorization-server`);
  expect(asResponse.headers.get("access-control-allow-origin")).toBe("*");
  const as = OAuthMetadataSchema.parse(await asResponse.json());
  expect(as).toMatchObject({
    issuer: server.url,
    code_challenge_methods_supported: ["S256"],
    client_id_metadata_document_supported: true,
    authorization_response_iss_parameter_supported: true,
    token_endpoint_auth_methods_supported: ["none"],
    revocation_endpoint: `${server.url}/oauth/revoke`,
  });
});

test("the MCP SDK's OAuth client, end to end: 401 → metadata → client metadata document → consent → token → tool → refresh → revoke → 401", async () => {
  const provider = new TestOAuthProvider(site);
  await expect(connect(provider)).rejects.toBeInstanceOf(UnauthorizedError);
  const authorizationUrl = provider.authorizationUrl!;
  expect(authorizationUrl.searchParams.get("client_id")).toBe(site.clientId);
  expect(authorizationUrl.searchParams.get("code_challenge_method")).toBe("S256");
  expect(authorizationUrl.searchParams.get("resource")).toBe(`${server.url}/mcp`);

  const { page, location } = await answerConsent(person, authorizationUrl, "allow");
  expect(page).toContain('Allow <span class="client">Claude Test Host</span> to use your account?');
  expect(page).toContain("oauth-person@example.com");
  expect(page).toContain("127.0.0.1"); // where the answer goes, and the warning for a local address
  expect(page).toContain("on your own computer");
  expect(`${location.origin}${location.pathname}`).toBe(site.redirectUri);
  expect(location.searchParams.get("state")).toBe("state-of-the-test");
  expect(location.searchParams.get("iss")).toBe(server.url);

  const transport = new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
    authProvider: provider,
  });
  await transport.finishAuth(location.searchParams.get("code")!);
  const first = provider.saved!;
  expect(first.access_token).toMatch(/^mme_at_/);
  expect(first.refresh_token).toMatch(/^mme_rt_/);
  expect(first.token_type).toBe("Bearer");

  // The token stands for the person's account on every tool.
  const client = await connect(provider);
  const account = await callTool(client, "get_account");
  expect((account.structuredContent as unknown as Account).accountId).toBe(accountId);

  // Only hashes are stored.
  const stored = await server.t.db.selectFrom("oauth_tokens").select("token_hash").execute();
  expect(stored.map((r) => r.token_hash)).not.toContain(first.access_token);

  // Refresh rotates both tokens.
  expect(await auth(provider, { serverUrl: `${server.url}/mcp` })).toBe("AUTHORIZED");
  const second = provider.saved!;
  expect(second.access_token).not.toBe(first.access_token);
  expect(second.refresh_token).not.toBe(first.refresh_token);
  expect((await mcpWith(second.access_token)).status).toBe(200);

  // Revoking the refresh token ends the grant: its access tokens are refused with invalid_token.
  const revoked = await postForm(`${server.url}/oauth/revoke`, {
    token: second.refresh_token!,
    token_type_hint: "refresh_token",
    client_id: site.clientId,
  });
  expect(revoked.status).toBe(200);
  const refused = await mcpWith(second.access_token);
  expect(refused.status).toBe(401);
  expect(refused.headers.get("www-authenticate")).toMatch(/^Bearer error="invalid_token"/);
  expect(refused.headers.get("www-authenticate")).toContain("resource_metadata=");
});

test("deny: the client gets access_denied with its state and our issuer, and no code", async () => {
  const { challenge } = await pkcePair();
  const query = new URLSearchParams({
    response_type: "code",
    client_id: site.clientId,
    redirect_uri: site.redirectUri,
    code_challenge: challenge,
    code_challenge_method: "S256",
    state: "deny-me",
  });
  const { location } = await answerConsent(person, `${server.url}/oauth/authorize?${query}`, "deny");
  expect(Object.fromEntries(location.searchParams)).toMatchObject({
    error: "access_denied",
    state: "deny-me",
    iss: server.url,
  });
  expect(location.searchParams.has("code")).toBe(false);
});

test("a wrong PKCE verifier is invalid_grant, and the code is spent", async () => {
  const { code, verifier } = await approvedCode();
  const wrong = await redeem(code, `${verifier.slice(0, -4)}AAAA`);
  expect(wrong).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  expect(String(wrong.body.error_description)).toMatch(/code_verifier/);
  expect((await redeem(code, verifier)).body.error).toBe("invalid_grant");
});

test("redirect URIs: an unregistered one is never redirected to; a different one at the token endpoint is invalid_grant", async () => {
  const { challenge } = await pkcePair();
  const query = new URLSearchParams({
    response_type: "code",
    client_id: site.clientId,
    redirect_uri: "https://attacker.example/callback",
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  const shown = await person.request(`/oauth/authorize?${query}`, { redirect: "manual" });
  expect(shown.status).toBe(400);
  expect(shown.headers.get("location")).toBeNull();
  expect(await shown.text()).toContain("is not one the client Claude Test Host registered");

  const { code, verifier } = await approvedCode();
  const other = `${site.redirectUri}/elsewhere`;
  expect(await redeem(code, verifier, { redirect_uri: other })).toMatchObject({
    status: 400,
    body: { error: "invalid_grant" },
  });
});

test("audience: another resource is invalid_target; a token for this /mcp is refused under another name and on /v1", async () => {
  const { challenge } = await pkcePair();
  const query = new URLSearchParams({
    response_type: "code",
    client_id: site.clientId,
    redirect_uri: site.redirectUri,
    code_challenge: challenge,
    code_challenge_method: "S256",
    state: "t",
    resource: "https://elsewhere.example/mcp",
  });
  const shown = await person.request(`/oauth/authorize?${query}`, { redirect: "manual" });
  expect(shown.status).toBe(303);
  const back = new URL(shown.headers.get("location")!);
  expect(back.searchParams.get("error")).toBe("invalid_target");

  const { code, verifier } = await approvedCode();
  const tokens = await redeem(code, verifier);
  expect(tokens.status).toBe(200);
  const access = String(tokens.body.access_token);
  expect((await mcpWith(access)).status).toBe(200);
  // The same engine reached as localhost is another resource (no MME_PUBLIC_URL: the request's origin names it).
  const elsewhere = await mcpWith(access, server.url.replace("127.0.0.1", "localhost"));
  expect(elsewhere.status).toBe(401);
  expect(elsewhere.headers.get("www-authenticate")).toContain('error="invalid_token"');
  // Access tokens are for MCP only: the REST API takes API keys and sessions.
  expect((await server.api("/v1/account", { key: access })).status).toBe(401);
  // A token requested for the right resource but redeemed for another is refused too.
  const again = await approvedCode();
  expect(await redeem(again.code, again.verifier, { resource: `${server.url}/v1` })).toMatchObject({
    body: { error: "invalid_target" },
  });
});

test("an expired code is invalid_grant", async () => {
  const { code, verifier } = await approvedCode();
  await server.t.db
    .updateTable("oauth_codes")
    .set({ expires_at: new Date(Date.now() - 1000) })
    .where("used_at", "is", null)
    .execute();
  expect(await redeem(code, verifier)).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
});

test("a reused code is invalid_grant and revokes what the first use issued", async () => {
  const { code, verifier } = await approvedCode();
  const first = await redeem(code, verifier);
  expect(first.status).toBe(200);
  expect((await mcpWith(String(first.body.access_token))).status).toBe(200);
  expect(await redeem(code, verifier)).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  expect((await mcpWith(String(first.body.access_token))).status).toBe(401);
});

test("a refresh token used twice revokes the grant (rotation), and a refresh by another client is refused", async () => {
  const { code, verifier } = await approvedCode();
  const issued = await redeem(code, verifier);
  const refresh = (token: string, clientId = site.clientId) =>
    postForm(`${server.url}/oauth/token`, {
      grant_type: "refresh_token",
      refresh_token: token,
      client_id: clientId,
    });
  expect(
    (await refresh(String(issued.body.refresh_token), "https://other.example/client.json")).body.error,
  ).toBe("invalid_grant");
  const next = await refresh(String(issued.body.refresh_token));
  expect(next.status).toBe(200);
  expect((await refresh(String(issued.body.refresh_token))).body.error).toBe("invalid_grant");
  expect((await mcpWith(String(next.body.access_token))).status).toBe(401);
  expect((await refresh(String(next.body.refresh_token))).body.error).toBe("invalid_grant");
});

test("requests the server refuses to start: plain PKCE, no PKCE, an unknown client, a consent answer from another origin", async () => {
  const base = {
    response_type: "code",
    client_id: site.clientId,
    redirect_uri: site.redirectUri,
    state: "x",
  };
  const plain: Record<string, string> = { code_challenge: "a".repeat(43), code_challenge_method: "plain" };
  for (const extra of [plain, {}]) {
    const shown = await person.request(`/oauth/authorize?${new URLSearchParams({ ...base, ...extra })}`, {
      redirect: "manual",
    });
    expect(shown.status).toBe(303);
    expect(new URL(shown.headers.get("location")!).searchParams.get("error")).toBe("invalid_request");
  }
  const unknown = await person.request(
    `/oauth/authorize?${new URLSearchParams({ ...base, client_id: "not-a-client" })}`,
    { redirect: "manual" },
  );
  expect(unknown.status).toBe(400);

  const { challenge } = await pkcePair();
  const form = new URLSearchParams({
    ...base,
    code_challenge: challenge,
    code_challenge_method: "S256",
    decision: "allow",
  });
  const forged = await person.request("/oauth/authorize", {
    method: "POST",
    origin: "https://attacker.example",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form.toString(),
    redirect: "manual",
  });
  expect(forged.status).toBe(403);
  expect(forged.headers.get("location")).toBeNull();
});

test("not signed in: the authorization URL shows who asks and the way to sign in, and grants nothing", async () => {
  const { challenge } = await pkcePair();
  const query = new URLSearchParams({
    response_type: "code",
    client_id: site.clientId,
    redirect_uri: site.redirectUri,
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  const shown = await fetch(`${server.url}/oauth/authorize?${query}`, { redirect: "manual" });
  expect(shown.status).toBe(200);
  const page = await shown.text();
  expect(page).toContain("Claude Test Host");
  expect(page).toContain(`/sign-in?next=${encodeURIComponent(`/oauth/authorize?${query}`)}`);
  expect(shown.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
});

test("Dynamic Client Registration: a registered public client goes through the same flow; bad redirect URIs are refused", async () => {
  const bad = await fetch(`${server.url}/oauth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ redirect_uris: ["http://evil.example/cb"], client_name: "Old host" }),
  });
  expect(bad.status).toBe(400);
  expect(((await bad.json()) as { error: string }).error).toBe("invalid_redirect_uri");

  const provider = new TestOAuthProvider(site, { metadataDocument: false });
  await expect(connect(provider)).rejects.toBeInstanceOf(UnauthorizedError);
  expect(String(provider.info?.client_id)).toMatch(/^oac_/);
  const { location } = await answerConsent(person, provider.authorizationUrl!, "allow");
  const transport = new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
    authProvider: provider,
  });
  await transport.finishAuth(location.searchParams.get("code")!);
  const client = await connect(provider);
  expect((await client.listTools()).tools.map((t) => t.name)).toContain("generate_image");
});

test("the HTTP+SSE transport takes OAuth too: the SDK's SSEClientTransport discovers /sse's metadata, is authorized for /sse, and calls a tool", async () => {
  const provider = new TestOAuthProvider(site);
  const sseClient = () => new SSEClientTransport(new URL(`${server.url}/sse`), { authProvider: provider });
  await expect(new Client({ name: "sse-oauth", version: "1" }).connect(sseClient())).rejects.toBeInstanceOf(
    UnauthorizedError,
  );
  expect(provider.authorizationUrl!.searchParams.get("resource")).toBe(`${server.url}/sse`);
  const { location } = await answerConsent(person, provider.authorizationUrl!, "allow");
  await sseClient().finishAuth(location.searchParams.get("code")!);
  const client = new Client({ name: "sse-oauth", version: "1" });
  await client.connect(sseClient());
  clients.push(client);
  const account = await callTool(client, "get_account");
  expect((account.structuredContent as unknown as Account).accountId).toBe(accountId);
});

test("client metadata documents: kept as long as Cache-Control says; an impostor's or a missing one is refused to the person", async () => {
  const { challenge } = await pkcePair();
  const query = (clientId: string) =>
    `/oauth/authorize?${new URLSearchParams({
      response_type: "code",
      client_id: clientId,
      redirect_uri: site.redirectUri,
      code_challenge: challenge,
      code_challenge_method: "S256",
    })}`;
  await person.request(query(site.clientId));
  const fetched = site.fetches;
  expect((await person.request(query(site.clientId))).status).toBe(200);
  expect(site.fetches).toBe(fetched); // max-age=60: not fetched again

  const impostor = await person.request(query(site.clientId.replace("client.json", "impostor.json")), {
    redirect: "manual",
  });
  expect(impostor.status).toBe(400);
  expect(await impostor.text()).toContain("the document&#39;s client_id is not its own URL");
  const missing = await person.request(query(site.clientId.replace("client.json", "gone.json")), {
    redirect: "manual",
  });
  expect(missing.status).toBe(400);
  expect(await missing.text()).toContain("answered HTTP 404");
});

test("API keys keep working as bearer tokens on /mcp", async () => {
  expect((await mcpWith(server.key)).status).toBe(200);
});

test("MME_OAUTH=0: no authorization server, the plain API-key challenge, and access tokens refused", async () => {
  const { code, verifier } = await approvedCode();
  const access = String((await redeem(code, verifier)).body.access_token);
  // A second process on the same database, with OAuth off.
  const off = await startTestServer({
    role: "api",
    env: { MME_OAUTH: "0", DATABASE_URL: server.t.connectionString },
  });
  try {
    const refused = await mcpWith(access, off.url);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toBe('Bearer realm="mcp-media-engine"');
    expect((await fetch(`${off.url}/.well-known/oauth-authorization-server`)).status).toBe(404);
    expect((await fetch(`${off.url}/oauth/token`, { method: "POST" })).status).toBe(404);
    expect((await mcpWith(off.key, off.url)).status).toBe(200); // API keys, as ever
  } finally {
    await off.stop();
  }
});
