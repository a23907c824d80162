import { z } from "zod";

// Postgres refuses NUL in text and jsonb, and an unpaired UTF-16 surrogate in jsonb (and would turn one into U+FFFD
// in text). With the `u` flag a well-formed pair is one code point, so only a lone surrogate matches \p{Cs}.
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is the very character refused.
const UNSTORABLE = /[\u0000\p{Cs}]/u;

/** True when Postgres stores the string as it is: no NUL character and no unpaired surrogate. */
export function isStorableText(value: string): boolean {
  return !UNSTORABLE.test(value);
}

/**
 * The base of every string a request carries: a caller's NUL or lone surrogate is refused with 400
 * `invalid_request` naming the field, never handed to the database to fail there (and with it, every submission
 * written in the same statement).
 */
export const StorableString = z.string().refine(isStorableText, {
  message: "Must not contain a NUL character (\\u0000) or an unpaired UTF-16 surrogate.",
});

export const IsoDateTime = z.iso.datetime({ offset: true });

export const Metadata = z
  .record(
    StorableString.min(1).max(40),
    z.union([StorableString.max(500), z.number(), z.boolean(), z.null()]),
  )
  .refine((m) => Object.keys(m).length <= 50, { message: "At most 50 metadata keys." })
  .describe(
    "Your own key-value pairs, returned unchanged with the job and its webhook events. Up to 50 keys of at most 40 characters; values are strings (at most 500 characters), numbers, booleans or null.",
  );
export type Metadata = z.infer<typeof Metadata>;

/** Metadata as a job or batch returns it: what Metadata accepted, typed for every reader (a schema value of `{}` says nothing). */
export const StoredMetadata = z
  .record(z.string().max(40), z.union([z.string().max(500), z.number(), z.boolean(), z.null()]))
  .describe("The metadata given at submission.");

/**
 * The next page's cursor, or null on the last page. Bounded like the Cursor it is sent back as; a bound also keeps
 * the JSON Schema an `anyOf` of single types, which every tool host reads (a `type` array is less portable).
 */
export const NextCursor = z
  .string()
  .max(200)
  .nullable()
  .describe("Pass as cursor for the next page; null on the last page.");

/** Marks a schema issue as a refused webhook URL: the request is then 400 `invalid_webhook_url`, not `invalid_request`. */
export const WEBHOOK_URL_ISSUE = { errorCode: "invalid_webhook_url" } as const;

function isHttpUrl(value: string): boolean {
  return URL.canParse(value) && ["http:", "https:"].includes(new URL(value).protocol);
}

// The string check comes first, on the URL as sent: z.url() would normalize a NUL away (to %00) before any
// refinement ran, so the method form (deprecated, but the only one that orders the checks) is used. A URL that is
// not http(s) (ftp://, file://, no URL at all) is a refused webhook URL, coded as such.
export const WebhookUrl = StorableString.refine(isHttpUrl, {
  message: "Must be an http or https URL.",
  params: WEBHOOK_URL_ISSUE,
  abort: true,
})
  .url({ protocol: /^https?$/, normalize: true })
  .max(2048)
  .describe("An http(s) URL that receives a signed POST when the job ends.");

export const PageLimit = z.coerce
  .number()
  .int()
  .min(1)
  .max(100)
  .default(20)
  .describe("How many items to return, 1 to 100. Default 20.");

export const Cursor = StorableString.min(1)
  .max(200)
  .describe("The nextCursor of the previous page; omit it for the first page.");
