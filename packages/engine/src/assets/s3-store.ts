import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { S3Location } from "./s3-url";
import {
  AssetMissingError,
  type AssetStore,
  AssetStoreError,
  type ByteRange,
  blobPath,
  type StoredBlob,
} from "./store";

export interface S3StoreSettings extends S3Location {
  /** The store's URL, for stores other than AWS S3 (R2, MinIO, Ceph…); AWS's own endpoints when unset. */
  endpoint?: string;
  /** Bucket in the path (`https://host/bucket/key`) rather than the host name, as MinIO and most others want. */
  forcePathStyle?: boolean;
  /** AWS_REGION; the SDK's own resolution (AWS_PROFILE's config) when unset, `us-east-1` with an endpoint. */
  region?: string;
  /** AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; the SDK's default chain (profile, SSO, instance role…) when unset. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Files larger than this go up as a multipart upload in parts of this size: 8 MiB unless given (S3's least is 5). */
  partBytes?: number;
}

const DEFAULT_PART_BYTES = 8 * 1024 * 1024;
const SHA256_NAME = /(?:^|\/)([0-9a-f]{2})\/([0-9a-f]{2})\/([0-9a-f]{64})$/;

/**
 * Content-addressed objects in an S3-compatible bucket, under `<prefix><aa>/<bb>/<sha256>`. S3 never shows half an
 * object: a single PUT lands whole or not at all, and a multipart upload becomes an object only when it is
 * completed; one that fails part-way is aborted (lib-storage's `leavePartsOnError: false`), so its parts do not
 * linger either.
 */
export class S3AssetStore implements AssetStore {
  private readonly client: S3Client;
  private readonly partBytes: number;

  constructor(private readonly settings: S3StoreSettings) {
    this.partBytes = Math.max(5 * 1024 * 1024, settings.partBytes ?? DEFAULT_PART_BYTES);
    this.client = new S3Client({
      region: settings.region ?? (settings.endpoint ? "us-east-1" : undefined),
      endpoint: settings.endpoint,
      forcePathStyle: settings.forcePathStyle,
      credentials: settings.credentials,
      // Many S3-compatible stores do not take the integrity checksums the SDK now adds to every upload by default.
      ...(settings.endpoint && {
        requestChecksumCalculation: "WHEN_REQUIRED",
        responseChecksumValidation: "WHEN_REQUIRED",
      }),
      // Nothing waits without a bound: a store that stops answering fails the request (and the SDK retries it).
      requestHandler: { connectionTimeout: 5000, requestTimeout: 60_000 },
      maxAttempts: 3,
    });
  }

  get location(): string {
    return `s3://${this.settings.bucket}/${this.settings.prefix}`;
  }

  /** Why the store cannot be used at all, or undefined: the SDK must find a region (AWS_REGION, or a profile's). */
  async checkRegion(): Promise<string | undefined> {
    try {
      await this.client.config.region();
      return undefined;
    } catch {
      return "no region is set for the S3 store: set AWS_REGION (or AWS_PROFILE with a region)";
    }
  }

  async reachable(): Promise<boolean> {
    return (await this.checkBucket()) === undefined;
  }

  /** Why the bucket cannot be reached right now, or undefined when it answers. */
  async checkBucket(): Promise<string | undefined> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.settings.bucket }));
      return undefined;
    } catch (error) {
      return new AssetStoreError(error, `reach the bucket ${this.settings.bucket}`).message;
    }
  }

  async put(data: Buffer, options: { contentType?: string } = {}): Promise<StoredBlob> {
    const sha256 = createHash("sha256").update(data).digest("hex");
    if ((await this.size(sha256)) !== data.length) {
      try {
        await new Upload({
          client: this.client,
          params: {
            Bucket: this.settings.bucket,
            Key: this.key(sha256),
            Body: data,
            ContentType: options.contentType ?? "application/octet-stream",
            // The name is the content: the bytes under it never change.
            CacheControl: "public, max-age=31536000, immutable",
            Metadata: { sha256 },
          },
          partSize: this.partBytes,
          queueSize: 4,
          leavePartsOnError: false,
        }).done();
      } catch (error) {
        throw new AssetStoreError(error);
      }
    }
    return { sha256, bytes: data.length };
  }

  async size(sha256: string): Promise<number | undefined> {
    try {
      const head = await this.client.send(
        new HeadObjectCommand({ Bucket: this.settings.bucket, Key: this.key(sha256) }),
      );
      return head.ContentLength;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw new AssetStoreError(error, "look for the object");
    }
  }

  async read(sha256: string, range?: ByteRange): Promise<Readable> {
    try {
      const object = await this.client.send(
        new GetObjectCommand({
          Bucket: this.settings.bucket,
          Key: this.key(sha256),
          ...(range && { Range: `bytes=${range.start}-${range.end}` }),
        }),
      );
      // In Node the body is the response's IncomingMessage, a Readable.
      return object.Body as Readable;
    } catch (error) {
      if (isNotFound(error)) throw new AssetMissingError(sha256);
      throw new AssetStoreError(error, "read the object");
    }
  }

  async delete(sha256: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: this.key(sha256) }),
      );
    } catch (error) {
      if (!isNotFound(error)) throw new AssetStoreError(error, "delete the object");
    }
  }

  async *list(): AsyncIterable<string> {
    let token: string | undefined;
    do {
      const page = await this.client
        .send(
          new ListObjectsV2Command({
            Bucket: this.settings.bucket,
            Prefix: this.settings.prefix,
            ContinuationToken: token,
          }),
        )
        .catch((error: unknown) => {
          throw new AssetStoreError(error, "list the bucket");
        });
      for (const object of page.Contents ?? []) {
        const match = SHA256_NAME.exec(object.Key?.slice(this.settings.prefix.length) ?? "");
        if (match && match[3]!.startsWith(match[1]! + match[2]!)) yield match[3]!;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  presignedUrl(sha256: string, options: { lifetimeSeconds: number; contentType: string }): Promise<string> {
    return getSignedUrl(
      this.client,
      new GetObjectCommand({
        Bucket: this.settings.bucket,
        Key: this.key(sha256),
        ResponseContentType: options.contentType,
      }),
      { expiresIn: options.lifetimeSeconds },
    );
  }

  private key(sha256: string): string {
    return this.settings.prefix + blobPath(sha256);
  }
}

// A HEAD's 404 has no body, so it is "NotFound" whether the key or the bucket is missing; a put then says which.
function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  return name === "NotFound" || name === "NoSuchKey";
}
