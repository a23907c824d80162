import { z } from "zod";
import { IsoDateTime } from "./common";
import { JobId } from "./job";

export const JobLogKind = z
  .enum([
    "accepted",
    "status",
    "attempt",
    "provider_request",
    "fallback",
    "retry",
    "error",
    "deadline",
    "completed",
  ])
  .describe(
    "accepted: the job was accepted. status: its status changed. attempt: a worker started an attempt. provider_request: one HTTP request to a hosted provider (status, time, the provider's request id). fallback: a model failed and the next one took over. retry: an attempt failed transiently and the job waits before the next (reason and wait in details). error: an attempt failed. deadline: its cancelAfter passed. completed: its files were stored.",
  );
export type JobLogKind = z.infer<typeof JobLogKind>;

export const JobLogEntry = z
  .object({
    at: IsoDateTime.describe("When it happened."),
    kind: JobLogKind,
    attempt: z.number().int().nullable().describe("The attempt it belongs to, from 1; 0 before the first."),
    message: z.string().describe("What happened, in a line."),
    details: z
      .record(z.string(), z.unknown())
      .describe("The facts of the line, such as a provider's request id, a retry's wait or an error code."),
  })
  .describe("One line of a job's log.");
export type JobLogEntry = z.infer<typeof JobLogEntry>;

export const JobLogsRequest = z.object({ jobId: JobId });
export type JobLogsRequest = z.infer<typeof JobLogsRequest>;

export const JobLogs = z
  .object({
    jobId: JobId,
    data: z.array(JobLogEntry).describe("What happened to the job, oldest first; kept as long as the job."),
  })
  .describe("A job's log.");
export type JobLogs = z.infer<typeof JobLogs>;
