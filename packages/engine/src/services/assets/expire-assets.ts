import type { EngineContext } from "../../context";
import {
  dequeueObjectDeletion,
  expireAssetsMadeBefore,
  hasLiveAsset,
  lockObjectExclusive,
  queuedObjectDeletions,
} from "../../repositories/asset-objects";
import { hasUpload } from "../../repositories/uploads";

const PAGE = 500;

export interface RetentionRun {
  /** Assets marked deleted in this run. */
  expired: number;
  /** Objects deleted from the store. */
  objectsDeleted: number;
  /** Queued objects kept because a live asset refers to them again. */
  objectsKept: number;
  /** Objects the store failed to delete; they stay queued for the next run. */
  objectsFailed: number;
  /** Why the last of those failed. */
  lastFailure?: string;
}

/**
 * Retention (MME_ASSET_RETENTION_DAYS): assets made more than the retention period before `now` are marked deleted
 * (their rows stay, so their URLs answer 410), and their objects are queued; then every queued object that no
 * live asset refers to any more is deleted from the store. An object shared with a newer asset stays. A store that
 * fails keeps its objects queued for the next run. With retention off, only the queue is worked off.
 */
export async function expireAssets(args: { ctx: EngineContext; now?: Date }): Promise<RetentionRun> {
  const { ctx } = args;
  const now = args.now ?? new Date();
  const run: RetentionRun = { expired: 0, objectsDeleted: 0, objectsKept: 0, objectsFailed: 0 };
  if (ctx.assetRetentionMs !== undefined) {
    const before = new Date(now.getTime() - ctx.assetRetentionMs);
    for (;;) {
      const marked = await expireAssetsMadeBefore(ctx.db, before, now, PAGE);
      run.expired += marked;
      if (marked < PAGE) break;
    }
  }
  let after: string | undefined;
  for (;;) {
    const page = await queuedObjectDeletions(ctx.db, after, PAGE);
    for (const sha256 of page) {
      try {
        if ((await deleteObjectIfUnused(ctx, sha256)) === "deleted") run.objectsDeleted++;
        else run.objectsKept++;
      } catch (error) {
        run.objectsFailed++;
        run.lastFailure = error instanceof Error ? error.message : String(error);
      }
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1];
  }
  return run;
}

/** Under the object's exclusive lock: deleted from the store unless a live asset or an upload refers to it, then dequeued. */
function deleteObjectIfUnused(ctx: EngineContext, sha256: string): Promise<"deleted" | "kept"> {
  return ctx.db.transaction().execute(async (trx) => {
    await lockObjectExclusive(trx, sha256);
    // An upload (issue 20) keeps its object too: the same bytes may be both a deleted asset and an upload.
    const kept = (await hasLiveAsset(trx, sha256)) || (await hasUpload(trx, sha256));
    // A failed delete throws: the transaction rolls back and the object stays queued.
    if (!kept) await ctx.assets.delete(sha256);
    await dequeueObjectDeletion(trx, sha256);
    return kept ? "kept" : "deleted";
  });
}
