import { z } from "zod";
import { IsoDateTime } from "./common";
import { BatchId, Job, JobId, JobStatus } from "./job";

/**
 * What GET /v1/jobs/{jobId}/events and GET /v1/jobs/events?batchId= send, one Server-Sent Event each (the SSE
 * `event` field is the `event` property here, the `data` field the object as JSON).
 */
const EventBase = {
  jobId: JobId,
  seq: z
    .number()
    .int()
    .min(0)
    .describe(
      "The job's event number: every change of its status or progress takes the next. A job's stream uses it as the SSE id; (jobId, seq) names an event in any stream.",
    ),
  at: IsoDateTime.describe("When the change happened."),
};

export const JobStatusEvent = z
  .object({
    event: z.literal("status").describe("The job's status changed (or, first on a stream, what it is now)."),
    ...EventBase,
    status: JobStatus,
    progress: z.number().min(0).max(1).describe("How far the job has got, 0 to 1."),
    attempts: z.number().int().describe("How many attempts it has used."),
  })
  .describe("A job's status, when it changes; a stream also starts with each job's current status.");
export type JobStatusEvent = z.infer<typeof JobStatusEvent>;

export const JobProgressEvent = z
  .object({
    event: z.literal("progress").describe("The running job got further."),
    ...EventBase,
    progress: z.number().min(0).max(1).describe("How far the job has got, 0 to 1."),
  })
  .describe("A running job's progress, at most about four times a second.");
export type JobProgressEvent = z.infer<typeof JobProgressEvent>;

export const JobEndedEvent = z
  .object({
    event: z.literal("job").describe("The job ended: the whole job, with its assets when completed."),
    ...EventBase,
    job: Job,
  })
  .describe(
    "The last event of a job: completed, failed or canceled, with the job as GET /v1/jobs/{jobId} returns it. A job's stream closes after it; a batch's stream after every job's.",
  );
export type JobEndedEvent = z.infer<typeof JobEndedEvent>;

export const JobEvent = z
  .discriminatedUnion("event", [JobStatusEvent, JobProgressEvent, JobEndedEvent])
  .describe("One event of a job's stream.");
export type JobEvent = z.infer<typeof JobEvent>;

export const JobEventsRequest = z
  .object({ jobId: JobId })
  .describe("Whose events: send Last-Event-ID (the seq last received) to resume after it.");
export type JobEventsRequest = z.infer<typeof JobEventsRequest>;

export const BatchEventsRequest = z
  .object({ batchId: BatchId })
  .describe(
    "Whose events: every job of the batch. Send Last-Event-ID (the SSE id last received) to resume after it.",
  );
export type BatchEventsRequest = z.infer<typeof BatchEventsRequest>;
