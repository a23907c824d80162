import type { AssetRow, Database, NewAssetRow } from "@mcpmediaengine/db";
import type { Kysely } from "kysely";

// A transaction is a Kysely too, so every function here runs inside one or alone.
type Db = Kysely<Database>;

export async function insertAssets(db: Db, rows: NewAssetRow[]): Promise<void> {
  if (rows.length > 0) await db.insertInto("assets").values(rows).execute();
}

/** The assets of several jobs at once, in each job's order. */
export async function assetsOfJobs(db: Db, jobIds: string[]): Promise<Map<string, AssetRow[]>> {
  const byJob = new Map<string, AssetRow[]>();
  if (jobIds.length === 0) return byJob;
  const rows = await db
    .selectFrom("assets")
    .selectAll()
    .where("job_id", "in", jobIds)
    .orderBy("job_id")
    .orderBy("position")
    .execute();
  for (const row of rows) {
    const list = byJob.get(row.job_id) ?? [];
    list.push(row);
    byJob.set(row.job_id, list);
  }
  return byJob;
}

export async function findAsset(db: Db, assetId: string): Promise<AssetRow | undefined> {
  return db.selectFrom("assets").selectAll().where("id", "=", assetId).executeTakeFirst();
}

/** One account's asset; another account's is indistinguishable from a missing one. */
export async function findAccountAsset(
  db: Db,
  accountId: string,
  assetId: string,
): Promise<AssetRow | undefined> {
  return db
    .selectFrom("assets")
    .selectAll()
    .where("id", "=", assetId)
    .where("account_id", "=", accountId)
    .executeTakeFirst();
}

export interface AccountAssetRow extends AssetRow {
  job_type: "image" | "video" | "audio";
  job_model: string;
  job_input: unknown;
}

/**
 * One page of an account's live assets, newest first, with the job each came from. Asset ids sort by creation
 * time, so the page is an index range on (account_id, id) (migration 0019) whatever the account's size.
 */
export async function listAccountAssets(
  db: Db,
  filter: {
    accountId: string;
    type?: "image" | "video" | "audio";
    model?: string;
    role?: "main" | "poster" | "captions";
    beforeId?: string;
    limit: number;
  },
): Promise<AccountAssetRow[]> {
  let query = db
    .selectFrom("assets")
    .innerJoin("jobs", "jobs.id", "assets.job_id")
    .selectAll("assets")
    .select(["jobs.type as job_type", "jobs.model as job_model", "jobs.input as job_input"])
    .where("assets.account_id", "=", filter.accountId)
    .where("assets.deleted_at", "is", null);
  if (filter.type) query = query.where("jobs.type", "=", filter.type);
  if (filter.model) query = query.where("jobs.model", "=", filter.model);
  if (filter.role) query = query.where("assets.role", "=", filter.role);
  if (filter.beforeId) query = query.where("assets.id", "<", filter.beforeId);
  return (await query.orderBy("assets.id", "desc").limit(filter.limit).execute()) as AccountAssetRow[];
}

/** The poster stills of these video jobs, by job id. */
export async function postersOfJobs(db: Db, jobIds: string[]): Promise<Map<string, AssetRow>> {
  const byJob = new Map<string, AssetRow>();
  if (jobIds.length === 0) return byJob;
  const rows = await db
    .selectFrom("assets")
    .selectAll()
    .where("job_id", "in", jobIds)
    .where("role", "=", "poster")
    .where("deleted_at", "is", null)
    .execute();
  for (const row of rows) byJob.set(row.job_id, row);
  return byJob;
}
