import type { ListBatchesRequest } from "@mcpmediaengine/contract";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { trpc } from "../../api/trpc";
import { formatDateTime } from "../../format";
import { Link } from "../../router/router";
import { Pager } from "../../ui/controls";
import { ErrorNote, ProgressBar } from "../../ui/feedback";
import { Card, EmptyState, Loading, PageHeader } from "../../ui/page";
import { useCursorPages } from "../../ui/use-cursor-pages";
import { BatchCounts } from "./batch-counts";

export function Batches() {
  const paging = useCursorPages("");
  const input: ListBatchesRequest = { limit: 20, cursor: paging.cursor };
  const batches = useQuery({
    queryKey: ["batches", input],
    queryFn: () => trpc.batches.list.query(input),
    placeholderData: keepPreviousData,
  });
  return (
    <div className="page">
      <PageHeader
        title="Batches"
        description="Up to 500 jobs submitted at once, all or none, each tracked on its own."
      />
      <Card flush>
        <ErrorNote error={batches.error} />
        {!batches.data ? (
          <Loading />
        ) : batches.data.data.length === 0 ? (
          <EmptyState
            title="No batches yet"
            action={
              <a className="button" href="/docs#/batches">
                Read the batch API
              </a>
            }
          >
            Send many jobs in one request with POST /v1/batch (or engine.batches.create in the SDK): variants
            of a prompt, a campaign's sizes, a matrix of models and seeds. They show up here with their
            progress.
          </EmptyState>
        ) : (
          <>
            <div className="table-wrap">
              <table>
                <caption className="visually-hidden">Batches</caption>
                <thead>
                  <tr>
                    <th scope="col">Batch</th>
                    <th scope="col">Status</th>
                    <th scope="col">Progress</th>
                    <th scope="col" className="num">
                      Jobs
                    </th>
                    <th scope="col" className="num">
                      Credits spent
                    </th>
                    <th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  {batches.data.data.map((b) => (
                    <tr key={b.batchId}>
                      <td>
                        <Link to={`/batches/${b.batchId}`} className="mono">
                          {b.batchId}
                        </Link>
                      </td>
                      <td>
                        <BatchCounts batch={b} />
                      </td>
                      <td style={{ minWidth: 120 }}>
                        <ProgressBar value={b.progress} label={`Progress of ${b.batchId}`} />
                      </td>
                      <td className="num">{b.jobCount}</td>
                      <td className="num">{b.credits.spent}</td>
                      <td className="small">{formatDateTime(b.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager
              page={paging.page}
              hasNext={Boolean(batches.data.nextCursor)}
              onPrevious={paging.previous}
              onNext={() => paging.next(batches.data.nextCursor!)}
            />
          </>
        )}
      </Card>
    </div>
  );
}
