import type { AdminAccountList, AdminListAccountsRequest } from "@mcpmediaengine/contract";
import type { EngineContext } from "../../context";
import { listAccounts } from "../../repositories/accounts";
import { decodeIdCursor, encodeIdCursor } from "../paging";

/** Every account, newest first, for the operator: search by id, name or email. */
export async function adminListAccounts(args: {
  ctx: EngineContext;
  input: AdminListAccountsRequest;
}): Promise<AdminAccountList> {
  const { input } = args;
  const rows = await listAccounts(args.ctx.db, {
    search: input.search,
    beforeId: input.cursor ? decodeIdCursor("account", input.cursor) : undefined,
    limit: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  return {
    data: page.map((row) => ({
      accountId: row.id,
      name: row.name,
      email: row.email,
      plan: row.plan,
      balance: Number(row.balance),
      operator: row.operator,
      createdAt: row.created_at.toISOString(),
    })),
    nextCursor:
      rows.length > input.limit && page.length > 0 ? encodeIdCursor(page[page.length - 1]!.id) : null,
  };
}
