import { createHash } from "node:crypto";
import { buffer } from "node:stream/consumers";
import type { AssetStore } from "../../assets/store";

export interface CopyProgress {
  sha256: string;
  /**
   * copied: written and read back intact. present: already there at its size (from an earlier run). replaced:
   * there but not its bytes (verifyExisting), so written again. corrupt: the source's bytes do not hash to their
   * name, so not copied. failed: the copy could not be made or did not read back intact.
   */
  outcome: "copied" | "present" | "replaced" | "corrupt" | "failed";
  bytes: number;
  message?: string;
}

export interface CopyReport {
  copied: number;
  present: number;
  replaced: number;
  bytesCopied: number;
  corrupt: string[];
  failed: { sha256: string; message: string }[];
}

/**
 * Copies every object of one store into another (`assets migrate`: the local disk into a bucket).
 * - Resumable: an object already in the target at its size is counted present and skipped, so a run after an
 *   interruption copies only the rest. The target never holds half an object (a failed upload is aborted), so a
 *   present object is a whole one.
 * - Verified: each source object must hash (SHA-256) to its name, else it is reported corrupt and not copied; each
 *   copied object is read back from the target and hashed. `verifyExisting` reads back the present ones too, and
 *   writes again any that do not match.
 * The source is only read.
 */
export async function copyStore(args: {
  from: AssetStore;
  to: AssetStore;
  verifyExisting?: boolean;
  /** Objects copied at once; 4 unless given. */
  concurrency?: number;
  onProgress?: (progress: CopyProgress) => void;
}): Promise<CopyReport> {
  const report: CopyReport = { copied: 0, present: 0, replaced: 0, bytesCopied: 0, corrupt: [], failed: [] };
  const names = args.from.list()[Symbol.asyncIterator]();
  // Workers share one iterator: each takes the next name when it is free.
  const worker = async () => {
    for (let next = await names.next(); !next.done; next = await names.next()) {
      const progress = await copyOne(args.from, args.to, next.value, args.verifyExisting ?? false).catch(
        (error: unknown): CopyProgress => ({
          sha256: next.value as string,
          outcome: "failed",
          bytes: 0,
          message: error instanceof Error ? error.message : String(error),
        }),
      );
      if (progress.outcome === "copied" || progress.outcome === "replaced")
        report.bytesCopied += progress.bytes;
      if (progress.outcome === "copied") report.copied++;
      else if (progress.outcome === "present") report.present++;
      else if (progress.outcome === "replaced") report.replaced++;
      else if (progress.outcome === "corrupt") report.corrupt.push(progress.sha256);
      else report.failed.push({ sha256: progress.sha256, message: progress.message ?? "" });
      args.onProgress?.(progress);
    }
  };
  await Promise.all(Array.from({ length: args.concurrency ?? 4 }, worker));
  return report;
}

async function copyOne(
  from: AssetStore,
  to: AssetStore,
  sha256: string,
  verifyExisting: boolean,
): Promise<CopyProgress> {
  const [sourceSize, targetSize] = await Promise.all([from.size(sha256), to.size(sha256)]);
  const bytes = sourceSize ?? 0;
  let replacing = false;
  if (targetSize !== undefined && targetSize === sourceSize) {
    if (!verifyExisting || (await hashOf(to, sha256)) === sha256)
      return { sha256, outcome: "present", bytes };
    replacing = true;
    await to.delete(sha256);
  }
  const data = await buffer(await from.read(sha256));
  if (createHash("sha256").update(data).digest("hex") !== sha256) {
    return { sha256, outcome: "corrupt", bytes, message: "its bytes do not hash to its name" };
  }
  await to.put(data);
  const copied = await hashOf(to, sha256);
  if (copied !== sha256) {
    return { sha256, outcome: "failed", bytes, message: `read back as ${copied}, not as ${sha256}` };
  }
  return { sha256, outcome: replacing ? "replaced" : "copied", bytes: data.length };
}

async function hashOf(store: AssetStore, sha256: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of await store.read(sha256)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
