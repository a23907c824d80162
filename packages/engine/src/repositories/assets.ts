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
