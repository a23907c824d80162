import type { MediaBackend } from "./backend";

/**
 * A backend whose engine is still starting (MCP on stdio answers the host at once and boots the engine behind):
 * every call waits for it, then goes through. If the engine fails to start, every call fails with that error.
 */
export function deferredBackend(ready: Promise<MediaBackend>, assetOrigins: string[]): MediaBackend {
  // A failure is reported by the calls that meet it, not as an unhandled rejection.
  ready.catch(() => {});
  return {
    assetOrigins,
    submit: async (input) => (await ready).submit(input),
    getJob: async (jobId) => (await ready).getJob(jobId),
    listJobs: async (input) => (await ready).listJobs(input),
    cancelJob: async (jobId) => (await ready).cancelJob(jobId),
    estimate: async (input) => (await ready).estimate(input),
    account: async () => (await ready).account(),
    readAsset: async (assetId) => (await ready).readAsset(assetId),
  };
}
