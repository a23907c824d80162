import type { LedgerEntry, LedgerList, ListLedgerRequest } from "@mcpmediaengine/contract";
import type { Caller, EngineContext } from "../../context";
import { listLedgerEntries } from "../../repositories/ledger";
import { decodeIdCursor, encodeIdCursor } from "../paging";

/** A page of the caller's credit ledger, newest first. The cursor is the id of the last entry of the previous page. */
export async function listLedger(args: {
  ctx: EngineContext;
  caller: Caller;
  input: ListLedgerRequest;
}): Promise<LedgerList> {
  const { input } = args;
  const rows = await listLedgerEntries(args.ctx.db, {
    accountId: args.caller.accountId,
    createdAfter: input.createdAfter ? new Date(input.createdAfter) : undefined,
    createdBefore: input.createdBefore ? new Date(input.createdBefore) : undefined,
    beforeId: input.cursor ? decodeIdCursor("ledgerEntry", input.cursor) : undefined,
    limit: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  return {
    data: page.map(presentEntry),
    nextCursor:
      rows.length > input.limit && page.length > 0 ? encodeIdCursor(page[page.length - 1]!.id) : null,
  };
}

/**
 * Every entry of the caller's ledger that matches the filters (limit and cursor aside), newest first, read a
 * thousand at a time: an export of any length holds one page in memory.
 */
export async function* ledgerEntries(args: {
  ctx: EngineContext;
  caller: Caller;
  input: Omit<ListLedgerRequest, "limit" | "cursor">;
}): AsyncGenerator<LedgerEntry> {
  let beforeId: string | undefined;
  for (;;) {
    const rows = await listLedgerEntries(args.ctx.db, {
      accountId: args.caller.accountId,
      createdAfter: args.input.createdAfter ? new Date(args.input.createdAfter) : undefined,
      createdBefore: args.input.createdBefore ? new Date(args.input.createdBefore) : undefined,
      beforeId,
      limit: 1000,
    });
    for (const row of rows) yield presentEntry(row);
    if (rows.length < 1000) return;
    beforeId = rows[rows.length - 1]!.id;
  }
}

function presentEntry(row: {
  id: string;
  kind: LedgerEntry["kind"];
  amount: number | string;
  job_id: string | null;
  batch_id: string | null;
  reason: string | null;
  created_at: Date;
}): LedgerEntry {
  return {
    entryId: row.id,
    kind: row.kind,
    amount: Number(row.amount),
    jobId: row.job_id,
    batchId: row.batch_id,
    reason: row.reason,
    createdAt: row.created_at.toISOString(),
  };
}
