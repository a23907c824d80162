import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** The prefixes of what the authorization server hands out: a leaked one says what it is (secret scanners). */
export const OAUTH_PREFIX = { code: "mme_ac_", access: "mme_at_", refresh: "mme_rt_" } as const;

/** 256 random bits behind the prefix. */
export function newOAuthSecret(kind: keyof typeof OAUTH_PREFIX): string {
  return `${OAUTH_PREFIX[kind]}${randomBytes(32).toString("base64url")}`;
}

/** Only this is stored: a code or token found in a copy of the database opens nothing. */
export function hashOAuthSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export function looksLikeOAuthSecret(kind: keyof typeof OAUTH_PREFIX, value: string): boolean {
  return value.startsWith(OAUTH_PREFIX[kind]) && /^[A-Za-z0-9_-]{40,80}$/.test(value);
}

// RFC 7636 section 4.1: 43 to 128 unreserved characters.
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** Whether a code_challenge is a well-formed S256 challenge (the base64url of 32 bytes). */
export function isS256Challenge(challenge: string): boolean {
  return CHALLENGE.test(challenge);
}

/** PKCE with S256 (RFC 7636 section 4.6): BASE64URL(SHA256(verifier)) equals the challenge. Plain is never taken. */
export function verifyPkce(verifier: string, challenge: string): boolean {
  if (!VERIFIER.test(verifier) || !CHALLENGE.test(challenge)) return false;
  const computed = Buffer.from(createHash("sha256").update(verifier).digest("base64url"));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}
