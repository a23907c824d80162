import type { ApiKeyList } from "@mcpmediaengine/contract";
import type { Caller, EngineContext } from "../../context";
import { listAccountKeys } from "../../repositories/api-keys";
import { presentKey } from "./present";

/** The caller's keys, revoked ones included, working ones first. */
export async function listKeys(args: { ctx: EngineContext; caller: Caller }): Promise<ApiKeyList> {
  const rows = await listAccountKeys(args.ctx.db, args.caller.accountId);
  return { data: rows.map((row) => presentKey(row, args.caller.keyId)) };
}
