import { z } from "zod";

/** Every public id carries a prefix that says what it names. One table, so no two kinds share one. */
export const ID_PREFIXES = {
  account: "acc",
  apiKey: "key",
  job: "job",
  asset: "ast",
  batch: "bat",
  webhookEndpoint: "whe",
  webhookDelivery: "whd",
  event: "evt",
  request: "req",
  ledgerEntry: "led",
  user: "usr",
  session: "ses",
  upload: "upl",
  oauthGrant: "oag",
  oauthClient: "oac",
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

// Crockford base32: no I, L, O, U, so ids read aloud and copy without mistakes.
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const BODY_LENGTH = 24;

/**
 * A new id: prefix, underscore, 10 characters of millisecond time then 14 random ones, so ids of one kind
 * sort roughly by creation time.
 */
export function newId(kind: IdKind, now: number = Date.now()): string {
  let time = "";
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  let rest = "";
  for (const byte of randomBytes(BODY_LENGTH - 10)) rest += ALPHABET[byte % 32];
  return `${ID_PREFIXES[kind]}_${time}${rest}`;
}

// Random bytes drawn a few kilobytes at a time: one getRandomValues call per request was a measurable part of a
// submit's CPU (pnpm bench). Each byte is handed out once.
const pool = new Uint8Array(4096);
let used = pool.length;
function randomBytes(n: number): Uint8Array {
  if (used + n > pool.length) {
    crypto.getRandomValues(pool);
    used = 0;
  }
  used += n;
  return pool.subarray(used - n, used);
}

const ID_BODY = `[${ALPHABET}]{${BODY_LENGTH}}`;

export function isId(kind: IdKind, value: string): boolean {
  return new RegExp(`^${ID_PREFIXES[kind]}_${ID_BODY}$`).test(value);
}

/** A zod schema for one kind of id; the description names the prefix so it shows in OpenAPI and MCP. */
export function idSchema(kind: IdKind, description: string) {
  const prefix = ID_PREFIXES[kind];
  return z
    .string()
    .regex(new RegExp(`^${prefix}_${ID_BODY}$`), { message: `Must be an id starting with "${prefix}_".` })
    .describe(`${description} Starts with "${prefix}_".`);
}
