import { isTerminalStatus, type Job } from "@mcpmediaengine/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { toShownError } from "../../api/errors";
import { trpc } from "../../api/trpc";
import { formatCredits, formatDateTime, formatElapsed } from "../../format";
import { Link } from "../../router/router";
import { NotFound } from "../../shell/not-found";
import { AssetList, JobOutput } from "../../ui/asset-view";
import { CopyButton } from "../../ui/controls";
import { ErrorNote, ProgressBar, StatusBadge } from "../../ui/feedback";
import { Card, EmptyState, Loading, PageHeader } from "../../ui/page";
import { DeliveriesTable } from "../webhooks/deliveries-table";

export function JobPage(props: { params: Record<string, string> }) {
  const jobId = props.params.jobId!;
  const client = useQueryClient();
  const job = useQuery({
    queryKey: ["job", jobId],
    queryFn: () => trpc.jobs.get.query({ jobId }),
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
  const deliveries = useQuery({
    queryKey: ["deliveries", { jobId }, job.data?.status],
    queryFn: () => trpc.webhooks.listDeliveries.query({ jobId, limit: 50 }),
    enabled: Boolean(job.data),
  });
  const cancel = useMutation({
    mutationFn: () => trpc.jobs.cancel.mutate({ jobId }),
    onSuccess: (j) => client.setQueryData(["job", jobId], j),
  });

  const code = job.error ? toShownError(job.error).code : undefined;
  if (code === "not_found" || code === "invalid_request") return <NotFound what="job" />;
  if (!job.data) return job.error ? <ErrorNote error={job.error} /> : <Loading />;
  const j = job.data;

  return (
    <div className="page">
      <PageHeader
        title={`Job ${j.jobId}`}
        description={
          <>
            {j.type} on {j.model} · <StatusBadge status={j.status} />
          </>
        }
        actions={
          <>
            <CopyButton text={j.jobId} label="Copy id" />
            {!isTerminalStatus(j.status) ? (
              <button
                type="button"
                className="button danger"
                onClick={() => cancel.mutate()}
                disabled={cancel.isPending}
              >
                Cancel job
              </button>
            ) : null}
          </>
        }
      />
      <ErrorNote error={cancel.error} />
      <div className="split">
        <div className="stack" style={{ gap: 24 }}>
          <Card title="Output" labelledBy="output-title">
            {j.status === "completed" ? (
              <JobOutput job={j} />
            ) : j.status === "failed" ? (
              <div className="note error" role="alert">
                {j.error?.code}: {j.error?.message}
              </div>
            ) : j.status === "canceled" ? (
              <p className="muted">Canceled: nothing was made and its credits came back.</p>
            ) : (
              <div className="stack">
                <ProgressBar value={j.progress} label="Progress" />
                <p className="muted small">This page updates by itself as the job runs.</p>
              </div>
            )}
          </Card>
          <Card title="Timeline" labelledBy="timeline-title">
            <Timeline job={j} />
          </Card>
        </div>
        <div className="stack" style={{ gap: 24 }}>
          <Card title="Details" labelledBy="details-title">
            <dl className="props">
              <dt>Cost</dt>
              <dd>{formatCredits(j.cost.credits)}</dd>
              <dt>Served by</dt>
              <dd>{j.servedBy ? `${j.servedBy.model} (${j.servedBy.provider})` : "—"}</dd>
              <dt>Attempts</dt>
              <dd>{j.attempts}</dd>
              {j.batchId ? (
                <>
                  <dt>Batch</dt>
                  <dd>
                    <Link to={`/batches/${j.batchId}`} className="mono">
                      {j.batchId}
                    </Link>
                    {j.customId ? ` · ${j.customId}` : ""}
                  </dd>
                </>
              ) : null}
              <dt>Webhook</dt>
              <dd>{j.webhookUrl ?? "—"}</dd>
            </dl>
            <h3>Input</h3>
            <pre className="code">{JSON.stringify(j.input, null, 2)}</pre>
            {Object.keys(j.metadata).length > 0 ? (
              <>
                <h3>Metadata</h3>
                <pre className="code">{JSON.stringify(j.metadata, null, 2)}</pre>
              </>
            ) : null}
          </Card>
        </div>
      </div>
      {j.result ? (
        <Card flush title="Files" labelledBy="files-title">
          <AssetList assets={j.result.assets} />
        </Card>
      ) : null}
      <Card flush title="Webhook deliveries" labelledBy="deliveries-title">
        <ErrorNote error={deliveries.error} />
        {deliveries.data && deliveries.data.data.length > 0 ? (
          <DeliveriesTable deliveries={deliveries.data.data} />
        ) : deliveries.data ? (
          <EmptyState
            title="No deliveries"
            action={
              <Link className="button" to="/webhooks">
                Set up webhooks
              </Link>
            }
          >
            This job's events went to no webhook. Give a job a webhookUrl, or add an endpoint to hear about
            every job.
          </EmptyState>
        ) : (
          <Loading />
        )}
      </Card>
    </div>
  );
}

function Timeline(props: { job: Job }) {
  const { job } = props;
  const ended = isTerminalStatus(job.status);
  const steps = [
    { label: "Queued", at: job.createdAt, done: true, note: undefined as string | undefined },
    {
      label: "Processing",
      at: job.startedAt,
      done: Boolean(job.startedAt),
      note: job.startedAt
        ? `after ${formatElapsed(job.createdAt, job.startedAt)} in the queue · attempt ${job.attempts}`
        : undefined,
    },
    {
      label: ended ? job.status[0]!.toUpperCase() + job.status.slice(1) : "Completed",
      at: job.completedAt,
      done: ended,
      note:
        job.completedAt && job.startedAt
          ? `${formatElapsed(job.startedAt, job.completedAt)} of work`
          : undefined,
    },
  ];
  return (
    <ol className="timeline">
      {steps.map((s) => (
        <li key={s.label}>
          <span className={`dot${s.done ? " done" : ""}`} aria-hidden="true" />
          <div>
            <strong>{s.label}</strong>
            <div className="small muted">
              {s.at ? formatDateTime(s.at) : "not yet"}
              {s.note ? ` · ${s.note}` : ""}
            </div>
          </div>
        </li>
      ))}
    </ol>
  );
}
