import type { Database } from "@mcpmediaengine/db";
import { type Kysely, sql } from "kysely";

// A transaction is a Kysely too; the locks below need one (they are released at its end).
type Db = Kysely<Database>;

/**
 * An object is content-addressed and shared by every asset with its bytes. Retention deletes it holding this lock
 * exclusively, after finding no live asset that refers to it; a job about to refer to it holds the lock shared
 * while it makes sure the object is there and writes its assets. So an object is never deleted under a job that
 * has just stored (or found) it and not yet committed its rows.
 */
const lockKey = (sha256: string) => sql`hashtextextended(${sha256}, 20261701)`;

export async function lockObjectsShared(trx: Db, sha256s: string[]): Promise<void> {
  for (const sha256 of [...new Set(sha256s)].sort()) {
    await sql`select pg_advisory_xact_lock_shared(${lockKey(sha256)})`.execute(trx);
  }
}

export async function lockObjectExclusive(trx: Db, sha256: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(${lockKey(sha256)})`.execute(trx);
}

/** Of these objects, those some deleted asset referred to: retention may have deleted them from the store. */
export async function objectsOfDeletedAssets(db: Db, sha256s: string[]): Promise<Set<string>> {
  if (sha256s.length === 0) return new Set();
  const rows = await db
    .selectFrom("assets")
    .select("sha256")
    .distinct()
    .where("sha256", "in", sha256s)
    .where("deleted_at", "is not", null)
    .execute();
  return new Set(rows.map((r) => r.sha256));
}

export async function hasLiveAsset(db: Db, sha256: string): Promise<boolean> {
  const row = await db
    .selectFrom("assets")
    .select("id")
    .where("sha256", "=", sha256)
    .where("deleted_at", "is", null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Marks up to `limit` live assets made before `before` deleted (at `now`), and queues their objects for deletion,
 * in one statement. Returns how many assets it marked.
 */
export async function expireAssetsMadeBefore(
  db: Db,
  before: Date,
  now: Date,
  limit: number,
): Promise<number> {
  const result = await sql<{ expired: string }>`
    with expired as (
      update assets set deleted_at = ${now}
      where id in (
        select id from assets where deleted_at is null and created_at < ${before}
        order by created_at limit ${limit} for update skip locked)
      returning sha256),
    queued as (
      insert into asset_object_deletions (sha256) select distinct sha256 from expired
      on conflict (sha256) do nothing)
    select count(*) as expired from expired`.execute(db);
  return Number(result.rows[0]?.expired ?? 0);
}

/** Objects waiting to be deleted, by name, after `after` (a page through the queue). */
export async function queuedObjectDeletions(
  db: Db,
  after: string | undefined,
  limit: number,
): Promise<string[]> {
  let query = db.selectFrom("asset_object_deletions").select("sha256").orderBy("sha256").limit(limit);
  if (after !== undefined) query = query.where("sha256", ">", after);
  return (await query.execute()).map((r) => r.sha256);
}

export async function dequeueObjectDeletion(db: Db, sha256: string): Promise<void> {
  await db.deleteFrom("asset_object_deletions").where("sha256", "=", sha256).execute();
}
