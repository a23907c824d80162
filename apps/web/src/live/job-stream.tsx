import type { Job, JobList } from "@mcpmediaengine/contract";
import { type QueryClient, useQueryClient } from "@tanstack/react-query";
import { useEffect, useSyncExternalStore } from "react";
import { trpc } from "../api/trpc";

type LiveState = "connecting" | "live" | "reconnecting";
let state: LiveState = "connecting";
const listeners = new Set<() => void>();
function setState(next: LiveState) {
  state = next;
  for (const l of listeners) l();
}

/** Whether job changes are arriving: shown beside live lists. */
export function useLiveState(): LiveState {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => state,
  );
}

/**
 * Keeps every cached view of a job true as the server streams its changes (`jobs.watch`, SSE): the job's page,
 * each loaded list page that shows it, and, when a job ends, what its end changes (balance, usage, gallery,
 * its batch). Lists learn of a new job by refetching their first page. No view polls.
 */
export function JobStream() {
  const client = useQueryClient();
  useEffect(() => {
    setState("connecting");
    const subscription = trpc.jobs.watch.subscribe(undefined, {
      onStarted: () => setState("live"),
      onData: (job) => applyJobChange(client, job as Job),
      onConnectionStateChange: (s) => setState(s.state === "pending" ? "live" : "reconnecting"),
      onError: () => setState("reconnecting"),
    });
    return () => subscription.unsubscribe();
  }, [client]);
  return null;
}

export function applyJobChange(client: QueryClient, job: Job): void {
  const before = client.getQueryData<Job>(["job", job.jobId]);
  client.setQueryData(["job", job.jobId], job);
  let listed = false;
  client.setQueriesData<JobList>({ queryKey: ["jobs"] }, (list) => {
    if (!list?.data.some((j) => j.jobId === job.jobId)) return list;
    listed = true;
    return { ...list, data: list.data.map((j) => (j.jobId === job.jobId ? job : j)) };
  });
  if (!listed) {
    // A job no loaded page shows: a first page refetches, in case the job belongs at its top.
    void client.invalidateQueries({
      queryKey: ["jobs"],
      predicate: (q) => (q.queryKey[1] as { cursor?: string } | undefined)?.cursor === undefined,
    });
  }
  const ended = job.status !== "queued" && job.status !== "processing";
  if (ended && before?.status !== job.status) {
    for (const key of [["account"], ["usage"], ["ledger"], ["gallery"], ["batches"]])
      void client.invalidateQueries({ queryKey: key });
    if (job.batchId) void client.invalidateQueries({ queryKey: ["batch", job.batchId] });
  }
}
