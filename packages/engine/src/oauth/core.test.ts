import { describe, expect, test } from "vitest";
import { ClientDocuments, cacheLifetime, isMetadataDocumentId } from "./client-document";
import { OAuthError } from "./errors";
import { matchesRegisteredRedirect, redirectUriProblem } from "./redirect-uris";
import { canonicalResource } from "./resource";
import {
  hashOAuthSecret,
  isS256Challenge,
  looksLikeOAuthSecret,
  newOAuthSecret,
  verifyPkce,
} from "./secrets";

describe("PKCE", () => {
  // RFC 7636, Appendix B.
  const verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  const challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

  test("S256 as the RFC's own example computes it", () => {
    expect(isS256Challenge(challenge)).toBe(true);
    expect(verifyPkce(verifier, challenge)).toBe(true);
  });

  test("anything else is refused: another verifier, plain (verifier = challenge), malformed values", () => {
    expect(verifyPkce(`${verifier.slice(0, -1)}l`, challenge)).toBe(false);
    expect(verifyPkce(challenge, challenge)).toBe(false);
    expect(verifyPkce("short", challenge)).toBe(false);
    expect(verifyPkce(`${verifier}!`, challenge)).toBe(false);
    expect(verifyPkce(verifier, `${challenge}=`)).toBe(false);
    expect(isS256Challenge("plain-challenge")).toBe(false);
  });
});

test("secrets carry their kind's prefix, 256 random bits, and are stored as SHA-256", () => {
  const token = newOAuthSecret("access");
  expect(token).toMatch(/^mme_at_[A-Za-z0-9_-]{43}$/);
  expect(looksLikeOAuthSecret("access", token)).toBe(true);
  expect(looksLikeOAuthSecret("refresh", token)).toBe(false);
  expect(newOAuthSecret("access")).not.toBe(token);
  expect(hashOAuthSecret(token)).toMatch(/^[0-9a-f]{64}$/);
  expect(hashOAuthSecret(token)).not.toContain(token.slice(7, 20));
});

describe("redirect URIs", () => {
  test("https, or http to this machine; never a fragment or credentials", () => {
    expect(redirectUriProblem("https://app.example/cb")).toBeUndefined();
    expect(redirectUriProblem("http://127.0.0.1:4000/cb")).toBeUndefined();
    expect(redirectUriProblem("http://localhost/cb")).toBeUndefined();
    expect(redirectUriProblem("http://[::1]:9/cb")).toBeUndefined();
    expect(redirectUriProblem("http://app.example/cb")).toMatch(/neither https nor http to this machine/);
    expect(redirectUriProblem("https://app.example/cb#x")).toMatch(/fragment/);
    expect(redirectUriProblem("https://u:p@app.example/cb")).toMatch(/credentials/);
    expect(redirectUriProblem("javascript:alert(1)")).toBeDefined();
    expect(redirectUriProblem("not a url")).toMatch(/not a URL/);
  });

  test("exact match, except that a loopback http URI may name any port (OAuth 2.1 section 8.4.2)", () => {
    const registered = ["https://app.example/cb", "http://127.0.0.1/callback"];
    expect(matchesRegisteredRedirect("https://app.example/cb", registered)).toBe(true);
    expect(matchesRegisteredRedirect("https://app.example/cb/", registered)).toBe(false);
    expect(matchesRegisteredRedirect("https://app.example:444/cb", registered)).toBe(false);
    expect(matchesRegisteredRedirect("https://app.example/cb?x=1", registered)).toBe(false);
    expect(matchesRegisteredRedirect("http://127.0.0.1:51234/callback", registered)).toBe(true);
    expect(matchesRegisteredRedirect("http://127.0.0.1:51234/other", registered)).toBe(false);
    expect(matchesRegisteredRedirect("http://localhost:51234/callback", registered)).toBe(false);
    expect(matchesRegisteredRedirect("https://127.0.0.1:51234/callback", registered)).toBe(false);
  });
});

test("resource indicators compare in canonical form: case of scheme and host, trailing slash; never a fragment", () => {
  expect(canonicalResource("HTTPS://Media.Example.com/mcp")).toBe("https://media.example.com/mcp");
  expect(canonicalResource("https://media.example.com/mcp/")).toBe("https://media.example.com/mcp");
  expect(canonicalResource("https://media.example.com/")).toBe("https://media.example.com");
  expect(canonicalResource("https://media.example.com/mcp#x")).toBeUndefined();
  expect(canonicalResource("media.example.com/mcp")).toBeUndefined();
});

test("client ID metadata document ids are https URLs with a path", () => {
  expect(isMetadataDocumentId("https://app.example/oauth/client.json")).toBe(true);
  expect(isMetadataDocumentId("https://app.example/")).toBe(false);
  expect(isMetadataDocumentId("http://app.example/client.json")).toBe(false);
  expect(isMetadataDocumentId("oac_123")).toBe(false);
});

test("a document is kept as its Cache-Control says", () => {
  expect(cacheLifetime(undefined)).toBe(300_000);
  expect(cacheLifetime("max-age=60")).toBe(60_000);
  expect(cacheLifetime("public, max-age=3600")).toBe(3_600_000);
  expect(cacheLifetime("no-store")).toBe(0);
  expect(cacheLifetime("private, no-cache")).toBe(0);
});

test("client metadata documents go through the SSRF guard: loopback, private and metadata addresses are refused", async () => {
  const documents = new ClientDocuments({ allowPrivate: () => false });
  for (const url of [
    "https://127.0.0.1/client.json",
    "https://10.1.2.3/client.json",
    "https://169.254.169.254/latest/client.json",
    "https://[::ffff:127.0.0.1]/client.json",
  ]) {
    const refused = await documents.get(url).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(OAuthError);
    expect((refused as OAuthError).code).toBe("invalid_client");
    expect((refused as OAuthError).description).toMatch(/private or reserved address/);
  }
});
