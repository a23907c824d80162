import type {
  Account,
  CreateJobRequest,
  Job,
  JobEstimate,
  JobList,
  JobRequest,
  ListJobsRequest,
} from "@mcpmediaengine/contract";
import {
  type Caller,
  cancelJob,
  type EngineContext,
  estimateJob,
  getAccount,
  getJob,
  listJobs,
  type RequestScope,
  readAsset,
  submitJob,
} from "@mcpmediaengine/engine";

/**
 * What the MCP tools and resources need, for one caller. The engine in this process serves it (stdio without a
 * remote, and /mcp on the server); a remote engine reached through the SDK can serve it too.
 */
export interface MediaBackend {
  submit(input: JobRequest): Promise<Job>;
  getJob(jobId: string): Promise<Job>;
  listJobs(input: ListJobsRequest): Promise<JobList>;
  cancelJob(jobId: string): Promise<Job>;
  estimate(input: JobRequest | CreateJobRequest): Promise<JobEstimate>;
  account(): Promise<Account>;
  readAsset(assetId: string): Promise<{ data: Buffer; mimeType: string }>;
  /** The origins asset URLs are served from, which the in-chat gallery's CSP must allow. */
  readonly assetOrigins?: string[];
}

/**
 * The backend over this process's engine services, as `caller`. `mediaOrigins`: where asset URLs redirect to
 * besides the engine (the store, when URLs are presigned).
 */
export function engineBackend(
  ctx: EngineContext,
  caller: Caller,
  scope: RequestScope,
  mediaOrigins: string[] = [],
): MediaBackend {
  const as = { ctx, caller, scope };
  return {
    submit: (input) => submitJob({ ...as, input }),
    getJob: (jobId) => getJob({ ...as, input: { jobId } }),
    listJobs: (input) => listJobs({ ...as, input }),
    cancelJob: (jobId) => cancelJob({ ...as, input: { jobId } }),
    estimate: async (input) => estimateJob({ ctx, input }),
    account: () => getAccount({ ctx, caller }),
    readAsset: (assetId) => readAsset({ ctx, caller, input: { assetId } }),
    assetOrigins: [new URL(scope.baseUrl).origin, ...mediaOrigins],
  };
}
