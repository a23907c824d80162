/** A bucket and the key prefix the store's objects go under. */
export interface S3Location {
  bucket: string;
  /** "" or a prefix ending in "/". */
  prefix: string;
}

// S3's bucket naming rules (3–63 characters of lower-case letters, digits, dots and hyphens); R2 and MinIO agree.
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** `s3://bucket` or `s3://bucket/some/prefix` as a location, or a sentence saying what is wrong with it. */
export function parseS3Url(url: string): S3Location | string {
  const match = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(url);
  if (!match) return "must look like s3://bucket or s3://bucket/prefix";
  const bucket = match[1]!;
  if (!BUCKET.test(bucket))
    return `"${bucket}" is not a bucket name (3 to 63 lower-case letters, digits, . and -)`;
  const prefix = (match[2] ?? "").replace(/^\/+|\/+$/g, "");
  if (/\/\/|(^|\/)\.\.?(\/|$)/.test(prefix)) return `"${prefix}" is not a usable key prefix`;
  return { bucket, prefix: prefix ? `${prefix}/` : "" };
}
