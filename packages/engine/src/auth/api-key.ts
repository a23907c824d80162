import { createHash, randomBytes } from "node:crypto";

const SECRET_PREFIX = "mme_sk_";

/** A new API key secret. It is shown once; only its hash is stored. */
export function generateApiKeySecret(): string {
  return SECRET_PREFIX + randomBytes(24).toString("base64url");
}

/**
 * Keys are 192 random bits, so a fast hash is enough: there is nothing to brute-force. A slow password hash
 * would only slow every request down.
 */
export function hashApiKey(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** The last four characters, to tell keys apart in lists without revealing them. */
export function keyHint(secret: string): string {
  return secret.slice(-4);
}

export function looksLikeApiKey(value: string): boolean {
  return value.startsWith(SECRET_PREFIX) && value.length >= SECRET_PREFIX.length + 16 && value.length <= 200;
}
