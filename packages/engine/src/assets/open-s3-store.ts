import type { S3AssetStore, S3StoreSettings } from "./s3-store";

/**
 * An S3 store, with the AWS SDK loaded only now: a process on the local disk never loads it (it is large, and
 * slows every start).
 */
export async function openS3AssetStore(settings: S3StoreSettings): Promise<S3AssetStore> {
  const { S3AssetStore } = await import("./s3-store");
  return new S3AssetStore(settings);
}
