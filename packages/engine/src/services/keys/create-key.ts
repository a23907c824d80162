import { newId, type PlanId } from "@mcpmediaengine/contract";
import type { Database } from "@mcpmediaengine/db";
import { type Kysely, sql } from "kysely";
import { generateApiKeySecret, hashApiKey, keyHint } from "../../auth/api-key";
import type { EngineContext } from "../../context";
import { insertAccount, setAccountPlan } from "../../repositories/accounts";
import { countApiKeys, findActiveKeyByHash, insertApiKey } from "../../repositories/api-keys";
import { postCredits } from "../../repositories/credits";
import { grantOpeningCredits } from "../credits/plan-grants";

export interface CreatedKey {
  accountId: string;
  keyId: string;
  /** The secret, shown this once; only its hash is stored. */
  apiKey: string;
}

/** A new account with one API key, and the opening grant of its plan (free unless said). */
export async function createAccountWithKey(args: {
  ctx: EngineContext;
  name: string;
  secret?: string;
  plan?: PlanId;
}): Promise<CreatedKey> {
  return args.ctx.db
    .transaction()
    .execute((trx) =>
      insertAccountWithKey(trx, { name: args.name, secret: args.secret, plan: args.plan ?? "free" }),
    );
}

async function insertAccountWithKey(
  trx: Kysely<Database>,
  account: { name: string; secret?: string; plan: PlanId },
): Promise<CreatedKey> {
  const accountId = newId("account");
  const keyId = newId("apiKey");
  const apiKey = account.secret ?? generateApiKeySecret();
  await insertAccount(trx, { id: accountId, name: account.name, plan: account.plan });
  await insertApiKey(trx, {
    id: keyId,
    accountId,
    name: "default",
    keyHash: hashApiKey(apiKey),
    keyHint: keyHint(apiKey),
  });
  await grantOpeningCredits(trx, { id: accountId, plan: account.plan, monthlyGrant: null });
  return { accountId, keyId, apiKey };
}

/** Credits of the operator's own account when MME_BOOTSTRAP_CREDITS does not say. */
export const DEFAULT_BOOTSTRAP_CREDITS = 1_000_000;

/**
 * Start-up keys. With MME_BOOTSTRAP_API_KEY the key is made to exist (local development, demos, tests).
 * Without it, the first start on an empty database makes one key and returns it so the CLI can print it once.
 * Either way the key's account is the operator's: enterprise, with a one-time grant of `bootstrapCredits`, so
 * local use is never blocked by credits. Safe to run on every start: the grant is made once per account.
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
    await setAccountPlan(trx, accountId, "enterprise");
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
