import type { Job, JobList } from "@mcpmediaengine/contract";
import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { applyJobChange } from "./job-stream";

const job = (id: string, status: Job["status"], extra: Partial<Job> = {}): Job =>
  ({ jobId: id, status, progress: 0, batchId: null, ...extra }) as Job;

function setup() {
  const client = new QueryClient();
  const firstPage: JobList = {
    data: [job("job_b", "processing"), job("job_a", "completed")],
    nextCursor: "c",
  };
  const secondPage: JobList = { data: [job("job_0", "completed")], nextCursor: null };
  client.setQueryData(["jobs", { limit: 25 }], firstPage);
  client.setQueryData(["jobs", { limit: 25, cursor: "c" }], secondPage);
  client.setQueryData(["account"], { balance: 10 });
  return client;
}

describe("a job change from the stream", () => {
  it("replaces the job where a loaded page shows it, and on its own page", () => {
    const client = setup();
    applyJobChange(client, job("job_b", "processing", { progress: 0.5 }));
    const page = client.getQueryData<JobList>(["jobs", { limit: 25 }])!;
    expect(page.data.map((j) => [j.jobId, j.progress])).toEqual([
      ["job_b", 0.5],
      ["job_a", 0],
    ]);
    expect(client.getQueryData<Job>(["job", "job_b"])?.progress).toBe(0.5);
    expect(client.getQueryState(["jobs", { limit: 25 }])?.isInvalidated).toBe(false);
    expect(client.getQueryState(["account"])?.isInvalidated).toBe(false);
  });

  it("refetches first pages for a job no page shows, leaving later pages alone", () => {
    const client = setup();
    applyJobChange(client, job("job_c", "queued"));
    expect(client.getQueryState(["jobs", { limit: 25 }])?.isInvalidated).toBe(true);
    expect(client.getQueryState(["jobs", { limit: 25, cursor: "c" }])?.isInvalidated).toBe(false);
  });

  it("refreshes the balance and the job's batch when a job ends, once", () => {
    const client = setup();
    client.setQueryData(["batch", "bat_1"], { counts: {} });
    applyJobChange(client, job("job_b", "completed", { batchId: "bat_1" }));
    expect(client.getQueryState(["account"])?.isInvalidated).toBe(true);
    expect(client.getQueryState(["batch", "bat_1"])?.isInvalidated).toBe(true);
    client.setQueryData(["account"], { balance: 9 });
    applyJobChange(client, job("job_b", "completed", { batchId: "bat_1" }));
    expect(client.getQueryState(["account"])?.isInvalidated).toBe(false);
  });
});
