import { newId, type PlanId } from "@mcpmediaengine/contract";
import type { Database } from "@mcpmediaengine/db";
import { type Kysely, sql } from "kysely";
import { generateApiKeySecret, hashApiKey, keyHint } from "../../auth/api-key";
import type { EngineContext } from "../../context";
import { insertAccount, markOperator, setAccountTerms } from "../../repositories/accounts";
import { countApiKeys, findActiveKeyByHash, insertApiKey } from "../../repositories/api-keys";
import { postCredits } from "../../repositories/credits";
import { grantOpeningCredits } from "../credits/plan-grants";

export interface CreatedKey {
  accountId: string;
  keyId: string;
  /** The secret, shown this once; only its hash is stored. */
  apiKey: string;
}

/**
 * A new account with one API key, and the opening grant of its plan (free unless said), or `credits` instead of
 * the plan's opening grant.
 */
export async function createAccountWithKey(args: { ctx: EngineContext } & NewAccount): Promise<CreatedKey> {
  const { ctx, ...account } = args;
  return ctx.db.transaction().execute((trx) => insertAccountWithKey(trx, account));
}

export interface NewAccount {
  name: string;
  /** The first key's label; "default" unless given. */
  keyName?: string;
  secret?: string;
  plan?: PlanId;
  credits?: number;
  monthlyGrant?: number | null;
  limits?: Record<string, number> | null;
}

/** createAccountWithKey inside a transaction the caller holds, for writes that must commit with the account. */
export async function insertAccountWithKey(trx: Kysely<Database>, account: NewAccount): Promise<CreatedKey> {
  const accountId = newId("account");
  const plan = account.plan ?? "free";
  await insertAccount(trx, {
    id: accountId,
    name: account.name,
    plan,
    monthlyGrant: account.monthlyGrant,
    limits: account.limits,
  });
  const key = await insertKey(trx, accountId, account.keyName ?? "default", account.secret);
  await grantOpeningCredits(
    trx,
    { id: accountId, plan, monthlyGrant: account.monthlyGrant ?? null },
    { credits: account.credits },
  );
  return key;
}

/** A new key for an existing account. */
export async function insertKey(
  db: Kysely<Database>,
  accountId: string,
  name: string,
  secret?: string,
): Promise<CreatedKey> {
  const keyId = newId("apiKey");
  const apiKey = secret ?? generateApiKeySecret();
  await insertApiKey(db, {
    id: keyId,
    accountId,
    name,
    keyHash: hashApiKey(apiKey),
    keyHint: keyHint(apiKey),
  });
  return { accountId, keyId, apiKey };
}

/** Credits of the operator's own account when MME_BOOTSTRAP_CREDITS does not say. */
export const DEFAULT_BOOTSTRAP_CREDITS = 1_000_000;

/**
 * Start-up keys. With MME_BOOTSTRAP_API_KEY the key is made to exist (local development, demos, tests).
 * Without it, the first start on an empty database makes one key and returns it so the CLI can print it once.
 * Either way the key's account is the operator's (flagged so: its browser sessions may use the admin API):
 * enterprise, with a one-time grant of `bootstrapCredits`, so local use is never blocked by credits. Safe to run
 * on every start: the grant is made once per account.
 */
export async function ensureStartupKey(args: {
  ctx: EngineContext;
  bootstrapKey?: string;
  bootstrapCredits?: number;
}): Promise<{ created?: CreatedKey }> {
  const { ctx, bootstrapKey } = args;
  // Two processes starting together (an api and a worker role) could both see no key; the lock makes it one.
  return ctx.db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(4242002)`.execute(trx);
    let created: CreatedKey | undefined;
    let accountId: string;
    if (bootstrapKey) {
      const existing = await findActiveKeyByHash(trx, hashApiKey(bootstrapKey));
      if (existing) accountId = existing.account_id;
      else {
        created = await insertAccountWithKey(trx, {
          name: "bootstrap",
          secret: bootstrapKey,
          plan: "enterprise",
        });
        accountId = created.accountId;
      }
    } else {
      if ((await countApiKeys(trx)) > 0) return {};
      created = await insertAccountWithKey(trx, { name: "default", plan: "enterprise" });
      accountId = created.accountId;
    }
    await setAccountTerms(trx, accountId, { plan: "enterprise" });
    await markOperator(trx, accountId);
    await postCredits(trx, {
      accountId,
      kind: "grant",
      amount: args.bootstrapCredits ?? DEFAULT_BOOTSTRAP_CREDITS,
      period: "bootstrap",
      reason: "the operator's start-up account",
    });
    return created ? { created } : {};
  });
}
