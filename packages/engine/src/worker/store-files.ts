import type { Database } from "@mcpmediaengine/db";
import type { GeneratedFile } from "@mcpmediaengine/media";
import type { Kysely } from "kysely";
import type { StoredBlob } from "../assets/store";
import type { EngineContext } from "../context";
import { lockObjectsShared, objectsOfDeletedAssets } from "../repositories/asset-objects";

/** Writes a run's files to the store, whole, before the transaction that completes the job refers to them. */
export function storeFiles(ctx: EngineContext, files: GeneratedFile[]): Promise<StoredBlob[]> {
  return Promise.all(files.map((file) => ctx.assets.put(file.data, { contentType: file.mimeType })));
}

/**
 * Inside the completing transaction, before its assets are written: holds each object's lock shared, so retention
 * cannot delete it until the transaction ends, and puts back any object retention deleted since `storeFiles` wrote
 * or found it. Only an object a deleted asset referred to can have been deleted, so only those are looked for.
 */
export async function holdStoredFiles(
  trx: Kysely<Database>,
  ctx: EngineContext,
  files: GeneratedFile[],
  stored: StoredBlob[],
): Promise<void> {
  await lockObjectsShared(
    trx,
    stored.map((s) => s.sha256),
  );
  const exposed = await objectsOfDeletedAssets(
    trx,
    stored.map((s) => s.sha256),
  );
  for (const [position, blob] of stored.entries()) {
    if (!exposed.has(blob.sha256)) continue;
    if ((await ctx.assets.size(blob.sha256)) === blob.bytes) continue;
    await ctx.assets.put(files[position]!.data, { contentType: files[position]!.mimeType });
  }
}
