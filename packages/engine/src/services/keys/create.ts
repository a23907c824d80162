import {
  AppError,
  type CreateApiKeyRequest,
  type CreatedApiKey,
  MAX_ACTIVE_API_KEYS,
} from "@mcpmediaengine/contract";
import { sql } from "kysely";
import type { Caller, EngineContext } from "../../context";
import { countActiveKeys, findAccountKey } from "../../repositories/api-keys";
import { insertKey } from "./create-key";
import { presentKey } from "./present";

/** A new named key for the caller's account, its secret shown this once. */
export async function createKey(args: {
  ctx: EngineContext;
  caller: Caller;
  input: CreateApiKeyRequest;
}): Promise<CreatedApiKey> {
  const { ctx, caller, input } = args;
  return ctx.db.transaction().execute(async (trx) => {
    // One account's creations take turns, so the cap holds under concurrent requests.
    await sql`select id from accounts where id = ${caller.accountId} for update`.execute(trx);
    if ((await countActiveKeys(trx, caller.accountId)) >= MAX_ACTIVE_API_KEYS) {
      throw new AppError(
        "invalid_request",
        `An account may have at most ${MAX_ACTIVE_API_KEYS} working API keys; revoke one first.`,
      );
    }
    const created = await insertKey(trx, caller.accountId, input.name);
    const row = await findAccountKey(trx, caller.accountId, created.keyId);
    return { ...presentKey(row!, caller.keyId), apiKey: created.apiKey };
  });
}
