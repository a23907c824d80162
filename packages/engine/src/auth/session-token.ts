import { createHash, randomBytes } from "node:crypto";

/** A new session's cookie value: 256 random bits. Shown to the browser only; the database keeps its hash. */
export function newSessionToken(): string {
  return randomBytes(32).toString("base64url");
}

/** 256 random bits need no slow hash: SHA-256 is enough to make a stolen table useless. */
export function hashSessionToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Anything else in the cookie is not ours, and is never looked up. */
export function looksLikeSessionToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}
