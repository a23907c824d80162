import { AppError } from "@mcpmediaengine/contract";
import type { Caller, EngineContext } from "../../context";
import { findOperatorKey } from "../../repositories/api-keys";
import { limitsOf } from "../account/get-account";
import { ensureStartupKey } from "../keys/create-key";
import { authenticate } from "./authenticate";

/**
 * Who a local MCP session (stdio, with the engine in the same process) acts as: the operator's start-up account,
 * made on first use as `mcp-media-engine start` makes it (its key is not shown: stdout is the protocol). With
 * MME_BOOTSTRAP_API_KEY it is that key's account.
 */
export async function localOperator(args: {
  ctx: EngineContext;
  bootstrapKey?: string;
  bootstrapCredits?: number;
}): Promise<Caller> {
  await ensureStartupKey(args);
  if (args.bootstrapKey) return authenticate({ ctx: args.ctx, authorization: `Bearer ${args.bootstrapKey}` });
  const key = await findOperatorKey(args.ctx.db);
  if (!key) {
    throw new AppError(
      "unauthorized",
      "The operator's account has no active API key; make one with `mcp-media-engine keys create`.",
    );
  }
  return { accountId: key.account_id, keyId: key.key_id, limits: limitsOf(key) };
}
