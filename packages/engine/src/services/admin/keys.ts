import {
  type AdminCreatedKey,
  type AdminCreateKeyRequest,
  type AdminRevokedKey,
  type ApiKeyList,
  AppError,
} from "@mcpmediaengine/contract";
import type { EngineContext } from "../../context";
import { findAccount } from "../../repositories/accounts";
import { findApiKey, listAccountKeys, revokeApiKey } from "../../repositories/api-keys";
import { insertKey } from "../keys/create-key";
import { presentKey } from "../keys/present";

export async function adminCreateKey(args: {
  ctx: EngineContext;
  input: AdminCreateKeyRequest;
}): Promise<AdminCreatedKey> {
  const { ctx, input } = args;
  if (!(await findAccount(ctx.db, input.accountId)))
    throw new AppError("not_found", `No account ${input.accountId}.`);
  return insertKey(ctx.db, input.accountId, input.name ?? "");
}

/**
 * Revokes a key. This process forgets it at once; every other process hears of it from Postgres (the trigger of
 * migration 0003) before its next request, so the key answers 401 everywhere from now on. Revoking twice is fine.
 */
export async function adminRevokeKey(args: {
  ctx: EngineContext;
  input: { keyId: string };
}): Promise<AdminRevokedKey> {
  const { ctx, input } = args;
  const revoked = await revokeApiKey(ctx.db, input.keyId);
  if (revoked) {
    ctx.keyCache.delete(revoked.key_hash);
    return { keyId: input.keyId, revokedAt: revoked.revoked_at.toISOString() };
  }
  const existing = await findApiKey(ctx.db, input.keyId);
  if (!existing?.revoked_at) throw new AppError("not_found", `No key ${input.keyId}.`);
  return { keyId: input.keyId, revokedAt: existing.revoked_at.toISOString() };
}

/** An account's keys, as its owner sees them (revoked ones included). */
export async function adminListKeys(args: {
  ctx: EngineContext;
  input: { accountId: string };
}): Promise<ApiKeyList> {
  const { ctx, input } = args;
  if (!(await findAccount(ctx.db, input.accountId)))
    throw new AppError("not_found", `No account ${input.accountId}.`);
  return { data: (await listAccountKeys(ctx.db, input.accountId)).map((row) => presentKey(row)) };
}
