import type { Readable } from "node:stream";

export interface StoredBlob {
  sha256: string;
  bytes: number;
}

/** A byte range, both ends inclusive. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where asset files live: the local disk (LocalAssetStore) or an S3-compatible bucket (S3AssetStore). Both are
 * content-addressed (an object is named by the SHA-256 of its bytes, under `<aa>/<bb>/<sha256>`, so the same bytes
 * are stored once however many jobs make them), and neither ever shows half an object: a write that fails leaves
 * nothing under the name.
 */
export interface AssetStore {
  /** Where the objects are, for people: a folder, or `s3://bucket/prefix`. */
  readonly location: string;
  /** Stores the bytes under their SHA-256; nothing is written when they are there already. */
  put(data: Buffer, options?: { contentType?: string }): Promise<StoredBlob>;
  /** The object's size, or undefined when there is none. */
  size(sha256: string): Promise<number | undefined>;
  /** The object's bytes (a range of them). AssetMissingError when there is no such object. */
  read(sha256: string, range?: ByteRange): Promise<Readable>;
  /** Removes the object; removing one that is not there is no error. */
  delete(sha256: string): Promise<void>;
  /** Whether the store answers now (GET /readyz): the folder can be read, or the bucket answers. */
  reachable(): Promise<boolean>;
  /** Every object's SHA-256, in no particular order (for copying a store). */
  list(): AsyncIterable<string>;
  /**
   * A URL at which the store itself serves the object for a while, with the given media type; undefined when it
   * cannot (the local disk).
   */
  presignedUrl(
    sha256: string,
    options: { lifetimeSeconds: number; contentType: string },
  ): Promise<string | undefined>;
}

/**
 * The store could not do what was asked (a full disk, a read-only or failing volume, a bucket that refuses or does
 * not answer). The underlying error is kept as `original`, not `cause`: a store that cannot be reached must not
 * pass for a database that cannot be reached (isConnectionError follows `cause`, and a lost database is waited out
 * where a failed write must fail the run).
 */
export class AssetStoreError extends Error {
  /** The system's or the store's code: ENOSPC, EROFS, NoSuchBucket, AccessDenied, ECONNREFUSED, … */
  readonly reason: string | undefined;
  readonly original: unknown;
  constructor(original: unknown, doing = "store the file") {
    const reason = (original as { code?: string }).code ?? s3ErrorName(original);
    super(
      `Could not ${doing}${reason ? ` (${reason})` : ""}: ${(original as Error).message ?? String(original)}`,
    );
    this.name = "AssetStoreError";
    this.reason = reason;
    this.original = original;
  }
}

/** The object asked for is not in the store. */
export class AssetMissingError extends Error {
  constructor(readonly sha256: string) {
    super(`No object ${sha256} in the asset store.`);
    this.name = "AssetMissingError";
  }
}

/** `<aa>/<bb>/<sha256>`: the object's name in every store. */
export function blobPath(sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error("not a sha256");
  return `${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
}

// The S3 SDK's errors carry S3's code as their name (NoSuchBucket, AccessDenied, InternalError, …).
function s3ErrorName(cause: unknown): string | undefined {
  const error = cause as { name?: string; $metadata?: unknown };
  return error.$metadata !== undefined && error.name && error.name !== "Error" ? error.name : undefined;
}
