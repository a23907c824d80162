import { newId } from "@mcpmediaengine/contract";
import type { Database } from "@mcpmediaengine/db";
import { type Kysely, sql } from "kysely";
import { generateApiKeySecret, hashApiKey, keyHint } from "../../auth/api-key";
import type { EngineContext } from "../../context";
import { insertAccount } from "../../repositories/accounts";
import { countApiKeys, findActiveKeyByHash, insertApiKey } from "../../repositories/api-keys";

export interface CreatedKey {
  accountId: string;
  keyId: string;
  /** The secret, shown this once; only its hash is stored. */
  apiKey: string;
}

/** A new account with one API key. */
export async function createAccountWithKey(args: {
  ctx: EngineContext;
  name: string;
  secret?: string;
}): Promise<CreatedKey> {
  return args.ctx.db.transaction().execute((trx) => insertAccountWithKey(trx, args.name, args.secret));
}

async function insertAccountWithKey(
  trx: Kysely<Database>,
  name: string,
  secret?: string,
): Promise<CreatedKey> {
  const accountId = newId("account");
  const keyId = newId("apiKey");
  const apiKey = secret ?? generateApiKeySecret();
  await insertAccount(trx, { id: accountId, name });
  await insertApiKey(trx, {
    id: keyId,
    accountId,
    name: "default",
    keyHash: hashApiKey(apiKey),
    keyHint: keyHint(apiKey),
  });
  return { accountId, keyId, apiKey };
}

/**
 * Start-up keys. With MME_BOOTSTRAP_API_KEY the key is made to exist (local development, demos, tests).
 * Without it, the first start on an empty database makes one key and returns it so the CLI can print it once.
 */
export async function ensureStartupKey(args: {
  ctx: EngineContext;
  bootstrapKey?: string;
}): Promise<{ created?: CreatedKey }> {
  const { ctx, bootstrapKey } = args;
  // Two processes starting together (an api and a worker role) could both see no key; the lock makes it one.
  return ctx.db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(4242002)`.execute(trx);
    if (bootstrapKey) {
      if (await findActiveKeyByHash(trx, hashApiKey(bootstrapKey))) return {};
      return { created: await insertAccountWithKey(trx, "bootstrap", bootstrapKey) };
    }
    if ((await countApiKeys(trx)) > 0) return {};
    return { created: await insertAccountWithKey(trx, "default") };
  });
}
