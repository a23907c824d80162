import { AppError } from "@mcpmediaengine/contract";
import { AssetStoreError } from "../../assets/store";

/** What a download gets while the store does not answer: come back shortly. */
export function fromStoreError(error: unknown): never {
  if (error instanceof AssetStoreError) {
    throw new AppError(
      "service_unavailable",
      "The asset store is not answering right now; try again shortly.",
      {
        retryAfterSeconds: 5,
      },
    );
  }
  // A missing object under a live asset is our fault: it goes out as an internal error, and into the log.
  throw error;
}

export function expiredAsset(deletedAt: Date): AppError {
  return new AppError(
    "asset_expired",
    `This asset was deleted on ${deletedAt.toISOString()}, when the engine's retention period for files ended.`,
  );
}
