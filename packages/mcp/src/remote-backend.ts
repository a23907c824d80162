import { AppError, type ErrorCode, type Job, JobRequest, parseRequest } from "@mcpmediaengine/contract";
import { ApiError, ConnectionError, MediaEngine } from "@mcpmediaengine/sdk";
import type { MediaBackend } from "./backend";

/**
 * The backend over a remote engine (MME_API_URL, MME_API_KEY) through the SDK, for an MCP process that runs no
 * engine of its own. Errors keep the remote's code. Assets are read through the signed URLs of the jobs this
 * backend has returned, so an asset resource can be read once its job has been seen.
 */
export function remoteBackend(apiUrl: string, apiKey: string): MediaBackend {
  const engine = new MediaEngine({ apiKey, baseUrl: apiUrl });
  const assetUrls = new Map<string, string>();
  const remember = (job: Job): Job => {
    for (const asset of job.result?.assets ?? []) assetUrls.set(asset.assetId, asset.url);
    return job;
  };
  return {
    assetOrigins: [new URL(apiUrl).origin],
    submit: (input) => remote(async () => remember(await engine.jobs.create(input))),
    getJob: (jobId) => remote(async () => remember(await engine.jobs.get(jobId))),
    listJobs: (input) =>
      remote(async () => {
        const list = await engine.jobs.list(input);
        list.data.forEach(remember);
        return list;
      }),
    cancelJob: (jobId) => remote(async () => remember(await engine.jobs.cancel(jobId))),
    estimate: (input) => remote(() => engine.jobs.estimate(parseRequest(JobRequest, input))),
    account: () => remote(() => engine.account.get()),
    readAsset: async (assetId) => {
      const url = assetUrls.get(assetId);
      if (!url)
        throw new AppError("not_found", `No asset ${assetId} seen yet: read its job first (get_job_status).`);
      const response = await fetch(url);
      if (response.status === 410)
        throw new AppError("asset_expired", `Asset ${assetId} was deleted under the engine's retention.`);
      if (!response.ok)
        throw new AppError("not_found", `Asset ${assetId} could not be fetched (${response.status}).`);
      return {
        data: Buffer.from(await response.arrayBuffer()),
        mimeType: response.headers.get("content-type") ?? "application/octet-stream",
      };
    },
  };
}

/** The SDK's errors as the engine's own, so the tools report the remote's code as if it were local. */
async function remote<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ApiError) throw new AppError(error.code as ErrorCode, error.message, error.details);
    if (error instanceof ConnectionError) throw new AppError("service_unavailable", error.message);
    throw error;
  }
}
