import { z } from "zod";
import { IsoDateTime, StorableString } from "./common";
import { idSchema } from "./ids";

export const ApiKeyId = idSchema("apiKey", "The API key's id.");

export const ApiKeyName = StorableString.trim()
  .min(1, { message: "The name must not be empty." })
  .max(100)
  .describe("A label for the key, such as where it is used. 1 to 100 characters.");

export const ApiKey = z
  .object({
    keyId: ApiKeyId,
    name: z.string().describe("The key's label; empty for keys made without one."),
    hint: z
      .string()
      .describe(
        "The key's prefix and last four characters (mme_sk_…AbCd), to tell keys apart; never the secret.",
      ),
    createdAt: IsoDateTime.describe("When the key was made."),
    lastUsedAt: IsoDateTime.nullable().describe(
      "When the key last authenticated a request, to the minute (written at most once a minute); null if never.",
    ),
    revokedAt: IsoDateTime.nullable().describe("When the key was revoked; null while it works."),
    current: z
      .boolean()
      .describe(
        "Whether this request was made with this key (directly, or by a browser session signed in with it).",
      ),
  })
  .describe("An API key of the account. The secret itself is shown only once, when the key is made.");
export type ApiKey = z.infer<typeof ApiKey>;

export const ApiKeyList = z
  .object({ data: z.array(ApiKey).describe("The account's keys, working ones first, newest first.") })
  .describe("The account's API keys, revoked ones included.");
export type ApiKeyList = z.infer<typeof ApiKeyList>;

export const CreateApiKeyRequest = z
  .strictObject({ name: ApiKeyName })
  .describe("A new API key.")
  .meta({ examples: [{ name: "production server" }] });
export type CreateApiKeyRequest = z.infer<typeof CreateApiKeyRequest>;

export const CreatedApiKey = ApiKey.extend({
  apiKey: z.string().describe("The secret key (mme_sk_…). Shown only this once; only its hash is stored."),
}).describe("A new API key with its secret, shown this once.");
export type CreatedApiKey = z.infer<typeof CreatedApiKey>;

export const RevokeApiKeyRequest = z.object({ keyId: ApiKeyId });
export type RevokeApiKeyRequest = z.infer<typeof RevokeApiKeyRequest>;

/** The most working keys one account may hold at once. */
export const MAX_ACTIVE_API_KEYS = 100;
