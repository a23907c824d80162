import S3rver from "s3rver";

export interface S3Server {
  endpoint: string;
  /** What every engine process is given to keep its assets in this server's bucket. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

const BUCKET = "media";

/**
 * An S3 server on loopback (s3rver, files under `directory`) with the assets' bucket made. Its credentials are
 * s3rver's fixed ones; the engine reads them as any AWS SDK does, from the environment.
 */
export async function startS3Server(directory: string): Promise<S3Server> {
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    directory,
    silent: true,
    configureBuckets: [{ name: BUCKET }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    env: {
      MME_STORAGE_URL: `s3://${BUCKET}/assets`,
      MME_S3_ENDPOINT: endpoint,
      MME_S3_FORCE_PATH_STYLE: "1",
      AWS_ACCESS_KEY_ID: "S3RVER",
      AWS_SECRET_ACCESS_KEY: "S3RVER",
      AWS_REGION: "us-east-1",
    },
    stop: () => server.close(),
  };
}
