import type { ListBatchJobsRequest } from "@mcpmediaengine/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { toShownError } from "../../api/errors";
import { trpc } from "../../api/trpc";
import { formatDateTime } from "../../format";
import { NotFound } from "../../shell/not-found";
import { ConfirmButton, Pager } from "../../ui/controls";
import { ErrorNote, ProgressBar } from "../../ui/feedback";
import { Card, Loading, PageHeader, Stat } from "../../ui/page";
import { useCursorPages } from "../../ui/use-cursor-pages";
import { JobsTable } from "../jobs/jobs-table";
import { BatchCounts } from "./batch-counts";

export function BatchPage(props: { params: Record<string, string> }) {
  const batchId = props.params.batchId!;
  const client = useQueryClient();
  const paging = useCursorPages(batchId);
  // The live stream refreshes the batch whenever one of its jobs ends.
  const batch = useQuery({
    queryKey: ["batch", batchId],
    queryFn: () => trpc.batches.get.query({ batchId }),
    retry: false,
  });
  const input: ListBatchJobsRequest = { batchId, limit: 25, cursor: paging.cursor };
  const jobs = useQuery({
    queryKey: ["batch", batchId, "jobs", input],
    queryFn: () => trpc.batches.jobs.query(input),
  });
  const cancel = useMutation({
    mutationFn: () => trpc.batches.cancel.mutate({ batchId }),
    onSuccess: (b) => {
      client.setQueryData(["batch", batchId], b);
      void client.invalidateQueries({ queryKey: ["batch", batchId, "jobs"] });
    },
  });
  const code = batch.error ? toShownError(batch.error).code : undefined;
  if (code === "not_found" || code === "invalid_request") return <NotFound what="batch" />;
  if (!batch.data) return batch.error ? <ErrorNote error={batch.error} /> : <Loading />;
  const b = batch.data;
  return (
    <div className="page">
      <PageHeader
        title={`Batch ${b.batchId}`}
        description={`${b.jobCount} jobs · created ${formatDateTime(b.createdAt)}`}
        actions={
          b.status === "processing" ? (
            <ConfirmButton
              label="Cancel batch"
              confirmLabel="Cancel the jobs not started"
              busy={cancel.isPending}
              onConfirm={() => cancel.mutate()}
            />
          ) : null
        }
      />
      <ErrorNote error={cancel.error} />
      <div className="grid">
        <Stat label="Status" value={b.status} hint={<BatchCounts batch={b} />} />
        <Stat
          label="Progress"
          value={`${Math.round(b.progress * 100)}%`}
          hint={<ProgressBar value={b.progress} label="Batch progress" />}
        />
        <Stat label="Credits" value={b.credits.spent} hint={`spent · ${b.credits.held} held`} />
      </div>
      <Card flush title="Jobs" labelledBy="batch-jobs-title">
        <ErrorNote error={jobs.error} />
        {jobs.data ? (
          <>
            <JobsTable jobs={jobs.data.data} caption="The batch's jobs in item order" />
            <Pager
              page={paging.page}
              hasNext={Boolean(jobs.data.nextCursor)}
              onPrevious={paging.previous}
              onNext={() => paging.next(jobs.data.nextCursor!)}
            />
          </>
        ) : (
          <Loading />
        )}
      </Card>
    </div>
  );
}
