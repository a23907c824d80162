import {
  CancelJobRequest,
  CreateJobRequest,
  GetJobRequest,
  Job,
  JobEstimate,
  JobList,
  JobLogs,
  JobLogsRequest,
  ListJobsRequest,
} from "@mcpmediaengine/contract";
import {
  cancelJob,
  estimateJob,
  getJob,
  getJobLogs,
  listJobs,
  submitJob,
  watchJobs,
} from "@mcpmediaengine/engine";
import { z } from "zod";
import { authedProcedure, router } from "../init";

const tags = ["jobs"];

export const jobsRouter = router({
  create: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/jobs",
        tags,
        protect: true,
        summary: "Submit a job",
        description:
          "Accepts a generation job and answers at once with its id and status `queued`. Follow it with GET /v1/jobs/{jobId} or a webhook.",
        successDescription: "The job, accepted and queued.",
      },
    })
    .input(CreateJobRequest)
    .output(Job)
    .mutation(({ ctx, input }) =>
      submitJob({
        ctx: ctx.engine,
        caller: ctx.caller,
        scope: ctx.scope,
        input,
        idempotencyKey: ctx.idempotencyKey,
        onReplay: () => ctx.responseHeaders.set("idempotent-replayed", "true"),
      }),
    ),

  estimate: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/jobs/estimate",
        tags,
        protect: true,
        summary: "Estimate a job's cost",
        description: "What the job would cost in credits, without submitting it or holding anything.",
      },
    })
    .input(CreateJobRequest)
    .output(JobEstimate)
    .mutation(({ ctx, input }) => estimateJob({ ctx: ctx.engine, input })),

  get: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/jobs/{jobId}",
        tags,
        protect: true,
        summary: "Get a job",
        description: "The job's status and, once completed, its assets with signed download URLs.",
      },
    })
    .input(GetJobRequest)
    .output(Job)
    .query(({ ctx, input }) => getJob({ ctx: ctx.engine, caller: ctx.caller, scope: ctx.scope, input })),

  list: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/jobs",
        tags,
        protect: true,
        summary: "List jobs",
        description: "Your jobs, newest first, with filters and cursor paging.",
      },
    })
    .input(ListJobsRequest)
    .output(JobList)
    .query(({ ctx, input }) => listJobs({ ctx: ctx.engine, caller: ctx.caller, scope: ctx.scope, input })),

  cancel: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/jobs/{jobId}/cancel",
        tags,
        protect: true,
        summary: "Cancel a job",
        description:
          "Cancels a job that has not ended. A job that has already ended answers 409 job_not_cancelable.",
      },
    })
    .input(CancelJobRequest)
    .output(Job)
    .mutation(({ ctx, input }) =>
      cancelJob({ ctx: ctx.engine, caller: ctx.caller, scope: ctx.scope, input }),
    ),

  logs: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/jobs/{jobId}/logs",
        tags,
        protect: true,
        summary: "Get a job's log",
        description:
          "What happened to the job, in order: acceptance, status changes, attempts and their ends, provider requests with their request ids, retries with their reasons and waits, fallbacks, errors. Kept as long as the job.",
      },
    })
    .input(JobLogsRequest)
    .output(JobLogs)
    .query(({ ctx, input }) => getJobLogs({ ctx: ctx.engine, caller: ctx.caller, input })),

  /**
   * The caller's jobs as they change, over Server-Sent Events (tRPC only; the console's live views use it):
   * first every job not yet ended, then each job again whenever it is created, starts, progresses or ends, as the
   * process's job event source announces it (Postgres LISTEN/NOTIFY, so any replica's change).
   */
  watch: authedProcedure.input(z.object({}).optional()).subscription(async function* ({ ctx, signal }) {
    const until = AbortSignal.any([signal, ctx.streams].filter((s): s is AbortSignal => s !== undefined));
    yield* watchJobs({ ctx: ctx.engine, caller: ctx.caller, scope: ctx.scope, signal: until });
  }),
});
