import { AppError, type ErrorCode, type Job } from "@mcpmediaengine/contract";
import type { MediaBackend } from "./backend";

/**
 * The backend over a remote engine's REST API (MME_API_URL, MME_API_KEY), for an MCP process that runs no engine
 * of its own. Errors keep the remote's code. Assets are read through the signed URLs of the jobs this backend has
 * returned, so an asset resource can be read once its job has been seen.
 */
export function remoteBackend(apiUrl: string, apiKey: string): MediaBackend {
  const base = apiUrl.replace(/\/+$/, "");
  const assetUrls = new Map<string, string>();
  const remember = (job: Job): Job => {
    for (const asset of job.result?.assets ?? []) assetUrls.set(asset.assetId, asset.url);
    return job;
  };
  const call = async <T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${base}/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${apiKey}`,
        ...(body !== undefined && { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) {
      const error = parse(text)?.error as
        | { code?: ErrorCode; message?: string; details?: unknown }
        | undefined;
      throw new AppError(
        error?.code ?? "service_unavailable",
        error?.message ?? `The engine at ${base} answered ${response.status}.`,
        error?.details,
      );
    }
    return parse(text) as T;
  };
  const query = (input: object) => {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(input))
      if (value !== undefined) params.set(name, String(value));
    const text = params.toString();
    return text ? `?${text}` : "";
  };
  return {
    submit: async (input) => remember(await call<Job>("POST", "/jobs", input)),
    getJob: async (jobId) => remember(await call<Job>("GET", `/jobs/${encodeURIComponent(jobId)}`)),
    listJobs: async (input) => {
      const list = await call<Awaited<ReturnType<MediaBackend["listJobs"]>>>("GET", `/jobs${query(input)}`);
      list.data.forEach(remember);
      return list;
    },
    cancelJob: async (jobId) =>
      remember(await call<Job>("POST", `/jobs/${encodeURIComponent(jobId)}/cancel`)),
    estimate: (input) => call("POST", "/jobs/estimate", input),
    account: () => call("GET", "/account"),
    readAsset: async (assetId) => {
      const url = assetUrls.get(assetId);
      if (!url)
        throw new AppError("not_found", `No asset ${assetId} seen yet: read its job first (get_job_status).`);
      const response = await fetch(url);
      if (!response.ok)
        throw new AppError("not_found", `Asset ${assetId} could not be fetched (${response.status}).`);
      return {
        data: Buffer.from(await response.arrayBuffer()),
        mimeType: response.headers.get("content-type") ?? "application/octet-stream",
      };
    },
  };
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
