import { AppError } from "@mcpmediaengine/contract";
import { hashApiKey, looksLikeApiKey } from "../../auth/api-key";
import type { Caller, EngineContext } from "../../context";
import { findActiveKeyByHash } from "../../repositories/api-keys";
import { limitsOf } from "../account/get-account";

/**
 * Resolves the `Authorization: Bearer …` header to a caller, or 401 `unauthorized`. With `cachedOnly` only keys in
 * the key cache are known (no database round trip): for a client already refused for too many bad keys.
 */
export async function authenticate(args: {
  ctx: EngineContext;
  authorization: string | null | undefined;
  cachedOnly?: boolean;
}): Promise<Caller> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(args.authorization ?? "");
  if (!match) {
    throw new AppError("unauthorized", "Send your API key as 'Authorization: Bearer <key>'.");
  }
  const secret = match[1]!;
  if (!looksLikeApiKey(secret)) throw invalidKey();
  const hash = hashApiKey(secret);
  const cached = args.ctx.keyCache.get(hash);
  if (cached) {
    args.ctx.keyUse.record(cached.keyId);
    return cached;
  }
  if (args.cachedOnly) throw invalidKey();
  const ticket = args.ctx.keyCache.ticket();
  const key = await findActiveKeyByHash(args.ctx.db, hash);
  if (!key) throw invalidKey();
  const caller = { accountId: key.account_id, keyId: key.id, limits: limitsOf(key) };
  args.ctx.keyCache.set(hash, caller, ticket);
  args.ctx.keyUse.record(caller.keyId);
  return caller;
}

function invalidKey(): AppError {
  return new AppError("unauthorized", "The API key is not valid or has been revoked.");
}
