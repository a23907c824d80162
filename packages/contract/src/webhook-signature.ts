/**
 * Standard Webhooks 1.0 signing and verifying, shared by the engine (which signs) and the SDK (which verifies).
 * WebCrypto only, so it runs on Node 18+, Deno, Bun, edge runtimes and browsers. The signed content is
 * `${webhook-id}.${webhook-timestamp}.${body}`; the signature header lists `v1,<base64 HMAC-SHA256>` for each
 * secret in use (more than one while a rotated-out secret is still honoured).
 */

const SECRET_PREFIX = "whsec_";
const encoder = new TextEncoder();

export class WebhookVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WebhookVerificationError";
  }
}

/** A new secret: `whsec_` and 32 random bytes in base64, as Standard Webhooks spells them. */
export function newWebhookSecret(): string {
  return SECRET_PREFIX + toBase64(globalThis.crypto.getRandomValues(new Uint8Array(32)));
}

/** The `webhook-signature` header for a delivery, signed with every given secret. */
export async function signWebhook(args: {
  id: string;
  timestamp: number;
  body: string;
  secrets: string[];
}): Promise<string> {
  const content = `${args.id}.${args.timestamp}.${args.body}`;
  const signatures = await Promise.all(
    args.secrets.map(async (s) => `v1,${toBase64(await hmac(s, content))}`),
  );
  return signatures.join(" ");
}

export interface WebhookHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

/**
 * Checks a delivery: the timestamp within `toleranceSeconds` of now in either direction (default 5 minutes), and
 * one of the header's `v1` signatures made with one of the secrets (compared in constant time). Returns the body
 * parsed as JSON; throws WebhookVerificationError otherwise.
 */
export async function verifyWebhookSignature(
  rawBody: string | Uint8Array,
  headers: Headers | Record<string, string | string[] | undefined>,
  secret: string | string[],
  options: { toleranceSeconds?: number; now?: Date } = {},
): Promise<unknown> {
  const id = header(headers, "webhook-id");
  const timestamp = header(headers, "webhook-timestamp");
  const signature = header(headers, "webhook-signature");
  if (!id || !timestamp || !signature) throw new WebhookVerificationError("Missing webhook headers.");
  const seconds = Number(timestamp);
  if (!/^\d+$/.test(timestamp) || !Number.isSafeInteger(seconds)) {
    throw new WebhookVerificationError("Invalid webhook-timestamp.");
  }
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const tolerance = options.toleranceSeconds ?? 300;
  if (seconds < now - tolerance) throw new WebhookVerificationError("Message timestamp too old.");
  if (seconds > now + tolerance) throw new WebhookVerificationError("Message timestamp too new.");
  const body = typeof rawBody === "string" ? rawBody : new TextDecoder().decode(rawBody);
  const content = `${id}.${timestamp}.${body}`;
  const offered = signature
    .split(" ")
    .filter((part) => part.startsWith("v1,"))
    .map((part) => fromBase64(part.slice(3)))
    .filter((bytes): bytes is Uint8Array => bytes !== undefined);
  for (const s of Array.isArray(secret) ? secret : [secret]) {
    const expected = await hmac(s, content);
    if (offered.some((candidate) => equalInConstantTime(candidate, expected))) {
      try {
        return JSON.parse(body);
      } catch {
        throw new WebhookVerificationError("The body is not JSON.");
      }
    }
  }
  throw new WebhookVerificationError("No matching signature found.");
}

async function hmac(secret: string, content: string): Promise<Uint8Array> {
  const raw = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const keyBytes = fromBase64(raw);
  if (!keyBytes || keyBytes.length === 0)
    throw new WebhookVerificationError("The secret is not valid base64.");
  const key = await globalThis.crypto.subtle.importKey(
    "raw",
    new Uint8Array(keyBytes),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return new Uint8Array(await globalThis.crypto.subtle.sign("HMAC", key, encoder.encode(content)));
}

/** Every byte is compared whatever the first difference, so the time taken says nothing about the signature. */
function equalInConstantTime(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}

function header(headers: Headers | Record<string, string | string[] | undefined>, name: string) {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const found = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = found === undefined ? undefined : record[found];
  return Array.isArray(value) ? value[0] : value;
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array | undefined {
  try {
    const binary = atob(text);
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}
