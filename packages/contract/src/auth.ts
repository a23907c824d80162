import { z } from "zod";
import { AccountId } from "./account";
import { IsoDateTime, StorableString } from "./common";
import { ApiKeyId, CreatedApiKey } from "./keys";
import { PlanId } from "./plans";

/** Shortest password sign-up accepts; shorter ones are 422 weak_password. */
export const MIN_PASSWORD_LENGTH = 10;

// The method form of email() keeps the checks in order: trimmed and lower-cased, then checked.
export const Email = StorableString.trim()
  .toLowerCase()
  .max(254)
  .email({ message: "Must be an email address." })
  .describe("An email address; compared without regard to case.");

export const Password = StorableString.max(256).describe(
  `A password of ${MIN_PASSWORD_LENGTH} to 256 characters, not a common one and not the email; a weak one is 422 weak_password. Stored only as an Argon2id hash.`,
);

export const SignupRequest = z
  .strictObject({
    email: Email,
    password: Password,
    name: StorableString.trim()
      .min(1)
      .max(200)
      .optional()
      .describe("The account's name; the email when omitted."),
  })
  .describe("Opens a Free account (25 credits) for an email and password, when the operator allows sign-up.");
export type SignupRequest = z.infer<typeof SignupRequest>;

export const PasswordLogin = z
  .strictObject({ email: Email, password: Password })
  .describe("Sign in with the account's email and password.");
export const ApiKeyLogin = z
  .strictObject({
    apiKey: StorableString.max(200).describe("An API key (mme_sk_…) of the account to sign in to."),
  })
  .describe("Sign in with an API key; the session ends when the key is revoked.");
export const LoginRequest = z
  .union([PasswordLogin, ApiKeyLogin])
  .describe("Sign in with a password or a key.");
export type LoginRequest = z.infer<typeof LoginRequest>;

export const Session = z
  .object({
    accountId: AccountId,
    accountName: z.string().describe("The account's name."),
    email: z
      .string()
      .nullable()
      .describe("The email signed in with; null for a session opened with an API key."),
    plan: PlanId,
    operator: z
      .boolean()
      .describe("Whether the account is the operator's: the admin API accepts this session."),
    method: z.enum(["password", "api_key"]).describe("How the session was opened."),
    keyId: ApiKeyId.nullable().describe("The API key the session was opened with; null for a password."),
    createdAt: IsoDateTime.describe("When the session was opened."),
    expiresAt: IsoDateTime.describe("When it ends unless signed out sooner."),
  })
  .describe("The browser session the request's cookie names.");
export type Session = z.infer<typeof Session>;

export const SignupResult = z
  .object({
    session: Session,
    apiKey: CreatedApiKey.describe("The account's first API key, with its secret shown only this once."),
  })
  .describe("The new account's session (its cookie is set) and first API key.");
export type SignupResult = z.infer<typeof SignupResult>;

export const AuthConfig = z
  .object({
    signup: z
      .enum(["open", "closed"])
      .describe(
        "Whether anyone may open an account with an email and a password (the operator's MME_SIGNUP); when closed, sign in with an API key the operator gave you.",
      ),
    minPasswordLength: z
      .number()
      .int()
      .describe("The shortest password sign-up accepts; shorter ones are 422 weak_password."),
  })
  .describe("What a sign-in page needs to know before anyone is signed in.");
export type AuthConfig = z.infer<typeof AuthConfig>;
