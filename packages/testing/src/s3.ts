import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";

// s3rver ships no types: the part of it used here.
interface S3rverServer {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
const S3rver = createRequire(import.meta.url)("s3rver") as new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string }[];
}) => S3rverServer;

/** s3rver's fixed credentials; the region is any the client names. */
export const TEST_S3_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;
const REGION = "us-east-1";

/** A request that reached the test store, as S3 sees it. */
export interface S3Request {
  method: string;
  /** The path, bucket first (path-style), without the query. */
  path: string;
  query: URLSearchParams;
}

export interface TestS3 {
  /** The store's HTTP endpoint (MME_S3_ENDPOINT): a recording proxy in front of s3rver. */
  endpoint: string;
  bucket: string;
  /** `s3://<bucket>/<prefix>` (MME_STORAGE_URL). */
  storageUrl(prefix?: string): string;
  /** The settings that point the engine at this store, credentials included. */
  env(prefix?: string): Record<string, string>;
  /** A client of the store (path-style, its credentials), for looking behind the engine's back. */
  client: S3Client;
  /** Every request that reached the store, in order, refused ones included. */
  requests: S3Request[];
  /**
   * From now on, requests that match are answered with this status and an S3 error body instead of reaching the
   * store: a store that refuses writes, say `refuse((r) => r.method === "PUT")`. `allow()` ends it.
   */
  refuse(match: (request: S3Request) => boolean, status?: number): void;
  allow(): void;
  /** The keys in the bucket (under a prefix), sorted. */
  keys(prefix?: string): Promise<string[]>;
  stop(): Promise<void>;
}

/**
 * A real S3 protocol server for tests and local runs: s3rver on a free loopback port with one bucket, behind a
 * small proxy that records every request and can refuse some. s3rver has no AbortMultipartUpload, so the proxy
 * answers it (204, as S3 does) and records it; the upload's parts never become an object either way.
 */
export async function startS3Server(options: { bucket?: string } = {}): Promise<TestS3> {
  const bucket = options.bucket ?? "mme-test";
  const directory = mkdtempSync(join(tmpdir(), "mme-s3rver-"));
  const s3rver = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const { port: s3rverPort } = await s3rver.run();
  const requests: S3Request[] = [];
  let refusal: { match: (r: S3Request) => boolean; status: number } | undefined;

  const proxy = createServer((incoming, outgoing) => {
    const url = new URL(incoming.url ?? "/", "http://store");
    const seen: S3Request = { method: incoming.method ?? "GET", path: url.pathname, query: url.searchParams };
    requests.push(seen);
    if (refusal?.match(seen)) return answerError(incoming, outgoing, refusal.status);
    if (seen.method === "DELETE" && url.searchParams.has("uploadId")) {
      incoming.resume();
      outgoing.writeHead(204).end();
      return;
    }
    const forwarded = request(
      {
        host: "127.0.0.1",
        port: s3rverPort,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on("error", () => outgoing.destroy());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const client = new S3Client({
    endpoint,
    region: REGION,
    forcePathStyle: true,
    credentials: TEST_S3_CREDENTIALS,
  });
  const storageUrl = (prefix = "") => `s3://${bucket}${prefix ? `/${prefix}` : ""}`;

  return {
    endpoint,
    bucket,
    storageUrl,
    env: (prefix) => ({
      MME_STORAGE_URL: storageUrl(prefix),
      MME_S3_ENDPOINT: endpoint,
      MME_S3_FORCE_PATH_STYLE: "1",
      AWS_ACCESS_KEY_ID: TEST_S3_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_S3_CREDENTIALS.secretAccessKey,
      AWS_REGION: REGION,
    }),
    client,
    requests,
    refuse(match, status = 500) {
      refusal = { match, status };
    },
    allow() {
      refusal = undefined;
    },
    async keys(prefix) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys.sort();
    },
    async stop() {
      client.destroy();
      await closeServer(proxy);
      await s3rver.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

function answerError(incoming: IncomingMessage, outgoing: ServerResponse, status: number): void {
  const code = status === 403 ? "AccessDenied" : status === 503 ? "SlowDown" : "InternalError";
  // The body is read to its end first, so the client sees the answer rather than a reset connection.
  incoming.resume();
  incoming.on("end", () => {
    outgoing
      .writeHead(status, { "content-type": "application/xml" })
      .end(
        `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>Refused by the test store.</Message></Error>`,
      );
  });
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
