import type { Database, UploadRow } from "@mcpmediaengine/db";
import type { Kysely } from "kysely";

type Db = Kysely<Database>;

export interface NewUpload {
  id: string;
  accountId: string;
  sha256: string;
  mimeType: UploadRow["mime_type"];
  bytes: number;
  width: number;
  height: number;
  sourceUrl: string | null;
}

export async function insertUpload(db: Db, upload: NewUpload): Promise<UploadRow> {
  return db
    .insertInto("uploads")
    .values({
      id: upload.id,
      account_id: upload.accountId,
      sha256: upload.sha256,
      mime_type: upload.mimeType,
      bytes: upload.bytes,
      width: upload.width,
      height: upload.height,
      source_url: upload.sourceUrl,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The account's uploads of these ids; another account's are not among them. */
export async function findUploads(db: Db, accountId: string, ids: string[]): Promise<UploadRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom("uploads")
    .selectAll()
    .where("account_id", "=", accountId)
    .where("id", "in", [...new Set(ids)])
    .execute();
}

/** Whether an upload keeps this object: retention must not delete it then. */
export async function hasUpload(db: Db, sha256: string): Promise<boolean> {
  const row = await db
    .selectFrom("uploads")
    .select("id")
    .where("sha256", "=", sha256)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
