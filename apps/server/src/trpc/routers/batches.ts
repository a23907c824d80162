import {
  Batch,
  BatchJobList,
  BatchList,
  CancelBatchRequest,
  CreateBatchRequest,
  CreatedBatch,
  GetBatchRequest,
  ListBatchesRequest,
  ListBatchJobsRequest,
} from "@mcpmediaengine/contract";
import { cancelBatch, getBatch, listBatches, listBatchJobs, submitBatch } from "@mcpmediaengine/engine";
import { authedProcedure, router } from "../init";

const tags = ["batches"];

export const batchesRouter = router({
  create: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/batch",
        tags,
        protect: true,
        summary: "Submit a batch",
        description:
          "Accepts up to 500 jobs (or a variant matrix) at once, all or none, and answers at once with the batch and its job ids in item order. A batch with bad items is refused with 400 invalid_batch, listing every bad item's index, customId, code and message; more jobs than the plan allows is 400 batch_too_large; credits for the whole batch are held at once (402 when they do not suffice). Each job is tracked on its own; batch.completed is sent to webhookUrl when every job has ended.",
        successDescription: "The batch, accepted; its jobs are queued.",
      },
    })
    .input(CreateBatchRequest)
    .output(CreatedBatch)
    .mutation(({ ctx, input }) =>
      submitBatch({
        ctx: ctx.engine,
        caller: ctx.caller,
        scope: ctx.scope,
        input,
        idempotencyKey: ctx.idempotencyKey,
        onReplay: () => ctx.responseHeaders.set("idempotent-replayed", "true"),
      }),
    ),

  get: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/batches/{batchId}",
        tags,
        protect: true,
        summary: "Get a batch",
        description:
          "The batch's jobs counted by status, its progress, the credits held and spent, and its times.",
      },
    })
    .input(GetBatchRequest)
    .output(Batch)
    .query(({ ctx, input }) => getBatch({ ctx: ctx.engine, caller: ctx.caller, scope: ctx.scope, input })),

  list: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/batches",
        tags,
        protect: true,
        summary: "List batches",
        description: "Your batches, newest first, with cursor paging.",
      },
    })
    .input(ListBatchesRequest)
    .output(BatchList)
    .query(({ ctx, input }) => listBatches({ ctx: ctx.engine, caller: ctx.caller, scope: ctx.scope, input })),

  jobs: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/batches/{batchId}/jobs",
        tags,
        protect: true,
        summary: "List a batch's jobs",
        description: "The batch's jobs in item order, with their assets once completed; filter by status.",
      },
    })
    .input(ListBatchJobsRequest)
    .output(BatchJobList)
    .query(({ ctx, input }) =>
      listBatchJobs({ ctx: ctx.engine, caller: ctx.caller, scope: ctx.scope, input }),
    ),

  cancel: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/batches/{batchId}/cancel",
        tags,
        protect: true,
        summary: "Cancel a batch",
        description:
          "Cancels every job of the batch that has not started and releases its credits; jobs already processing finish. A batch that has ended answers 409 batch_not_cancelable.",
      },
    })
    .input(CancelBatchRequest)
    .output(Batch)
    .mutation(({ ctx, input }) =>
      cancelBatch({ ctx: ctx.engine, caller: ctx.caller, scope: ctx.scope, input }),
    ),
});
