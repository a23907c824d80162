import { z } from "zod";
import { Cursor, IsoDateTime, NextCursor, PageLimit } from "./common";
import { idSchema } from "./ids";
import { BatchId, JobId } from "./job";

export const LedgerEntryId = idSchema("ledgerEntry", "The ledger entry's id.");

export const LedgerEntryKind = z
  .enum(["grant", "hold", "capture", "release", "refund", "adjustment"])
  .describe(
    "grant: a plan's credits (at sign-up or monthly) or an operator's gift. hold: taken when a job or batch was accepted. capture: the job completed, what it held is spent (amount 0). release: the job failed or was canceled, what it held came back. refund: credits returned for a completed job. adjustment: an operator's correction.",
  );
export type LedgerEntryKind = z.infer<typeof LedgerEntryKind>;

export const LedgerEntry = z
  .object({
    entryId: LedgerEntryId,
    kind: LedgerEntryKind,
    amount: z
      .number()
      .int()
      .describe("Credits added (positive) or taken (negative); the balance is the sum of every entry."),
    jobId: JobId.nullable().describe(
      "The job the entry is for; null for grants, adjustments and batch holds.",
    ),
    batchId: BatchId.nullable().describe("The batch whose jobs a hold covers; else null."),
    reason: z.string().nullable().describe("Why, for grants and adjustments; else null."),
    createdAt: IsoDateTime.describe("When the entry was written."),
  })
  .describe("One entry of the account's append-only credit ledger.");
export type LedgerEntry = z.infer<typeof LedgerEntry>;

export const ListLedgerRequest = z
  .object({
    createdAfter: IsoDateTime.optional().describe("Only entries written at or after this time (ISO 8601)."),
    createdBefore: IsoDateTime.optional().describe("Only entries written before this time (ISO 8601)."),
    limit: PageLimit,
    cursor: Cursor.optional(),
  })
  .describe(
    "Filters and paging for the ledger, newest first. Sent with `Accept: text/csv`, GET /v1/credits/ledger answers every matching entry as CSV (limit and cursor ignored).",
  );
export type ListLedgerRequest = z.infer<typeof ListLedgerRequest>;

export const LedgerList = z
  .object({
    data: z.array(LedgerEntry).describe("Entries, newest first."),
    nextCursor: NextCursor,
  })
  .describe("A page of the credit ledger.");
export type LedgerList = z.infer<typeof LedgerList>;

/** The columns of the ledger's CSV export, in order; each is the LedgerEntry field of the same name. */
export const LEDGER_CSV_COLUMNS = [
  "entryId",
  "createdAt",
  "kind",
  "amount",
  "jobId",
  "batchId",
  "reason",
] as const;
