import type { Database } from "@mcpmediaengine/db";
import type { Kysely } from "kysely";

// A transaction is a Kysely too, so every function here runs inside one or alone.
type Db = Kysely<Database>;

export interface LedgerFilter {
  accountId: string;
  createdAfter?: Date;
  createdBefore?: Date;
  /** Only entries older (smaller id) than this one. */
  beforeId?: string;
  limit: number;
}

/** An account's ledger entries, newest first (entry ids begin with their creation time). */
export async function listLedgerEntries(db: Db, f: LedgerFilter) {
  let q = db
    .selectFrom("credit_ledger")
    .select(["id", "kind", "amount", "job_id", "batch_id", "reason", "created_at"])
    .where("account_id", "=", f.accountId);
  if (f.createdAfter) q = q.where("created_at", ">=", f.createdAfter);
  if (f.createdBefore) q = q.where("created_at", "<", f.createdBefore);
  if (f.beforeId) q = q.where("id", "<", f.beforeId);
  return q.orderBy("id", "desc").limit(f.limit).execute();
}
