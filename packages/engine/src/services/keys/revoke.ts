import { type ApiKey, AppError, type RevokeApiKeyRequest } from "@mcpmediaengine/contract";
import type { Caller, EngineContext } from "../../context";
import { findAccountKey, revokeApiKey } from "../../repositories/api-keys";
import { presentKey } from "./present";

/**
 * Revokes one of the caller's keys; another account's key is not found. The key answers 401 from its next request
 * on, in every process (this one forgets it now, the others when Postgres tells them), and browser sessions opened
 * with it end. Revoking the key the request is made with is allowed: this answer is the last it gets. Revoking
 * twice answers the same.
 */
export async function revokeKey(args: {
  ctx: EngineContext;
  caller: Caller;
  input: RevokeApiKeyRequest;
}): Promise<ApiKey> {
  const { ctx, caller, input } = args;
  const key = await findAccountKey(ctx.db, caller.accountId, input.keyId);
  if (!key) throw new AppError("not_found", `No key ${input.keyId}.`);
  if (key.revoked_at) return presentKey(key, caller.keyId);
  await revokeApiKey(ctx.db, key.id);
  ctx.keyCache.delete(key.key_hash);
  return presentKey((await findAccountKey(ctx.db, caller.accountId, key.id))!, caller.keyId);
}
