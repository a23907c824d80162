import type { ListLedgerRequest } from "@mcpmediaengine/contract";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, toShownError } from "../api/errors";
import { trpc } from "../api/trpc";
import { formatDateTime, formatNumber } from "../format";
import { Link } from "../router/router";
import { Pager } from "../ui/controls";
import { ErrorNote } from "../ui/feedback";
import { Card, EmptyState, Loading, PageHeader } from "../ui/page";
import { useCursorPages } from "../ui/use-cursor-pages";
import { BillingPlans } from "./billing-plans";

export function Usage() {
  const byModel = useQuery({
    queryKey: ["usage", "model", 30],
    queryFn: () => trpc.usage.get.query({ groupBy: "model" }),
  });
  return (
    <div className="page">
      <PageHeader title="Usage and billing" description="Where your credits went, and your plan." />
      <Card flush title="Spend by model, last 30 days" labelledBy="by-model-title">
        <ErrorNote error={byModel.error} />
        {!byModel.data ? (
          <Loading />
        ) : byModel.data.data.length === 0 ? (
          <EmptyState title="Nothing spent yet">
            Credits are spent when a job completes; failed and canceled jobs cost nothing.
          </EmptyState>
        ) : (
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Credits spent by model</caption>
              <thead>
                <tr>
                  <th scope="col">Model</th>
                  <th scope="col" className="num">
                    Credits spent
                  </th>
                  <th scope="col" className="num">
                    Completed
                  </th>
                  <th scope="col" className="num">
                    Failed
                  </th>
                  <th scope="col" className="num">
                    Canceled
                  </th>
                </tr>
              </thead>
              <tbody>
                {byModel.data.data.map((row) => (
                  <tr key={row.model}>
                    <td>{row.model}</td>
                    <td className="num" data-testid={`spent-${row.model}`}>
                      {formatNumber(row.creditsSpent)}
                    </td>
                    <td className="num">{formatNumber(row.jobsCompleted)}</td>
                    <td className="num">{formatNumber(row.jobsFailed)}</td>
                    <td className="num">{formatNumber(row.jobsCanceled)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">Total</th>
                  <td className="num" data-testid="spent-total">
                    {formatNumber(byModel.data.totals.creditsSpent)}
                  </td>
                  <td className="num">{formatNumber(byModel.data.totals.jobsCompleted)}</td>
                  <td className="num">{formatNumber(byModel.data.totals.jobsFailed)}</td>
                  <td className="num">{formatNumber(byModel.data.totals.jobsCanceled)}</td>
                </tr>
              </tfoot>
            </table>
          </div>
        )}
      </Card>
      <Ledger />
      <BillingPlans />
    </div>
  );
}

function Ledger() {
  const paging = useCursorPages("");
  const [exportError, setExportError] = useState<unknown>();
  const input: ListLedgerRequest = { limit: 25, cursor: paging.cursor };
  const ledger = useQuery({
    queryKey: ["ledger", input],
    queryFn: () => trpc.credits.ledger.query(input),
    placeholderData: keepPreviousData,
  });
  const exportCsv = async () => {
    setExportError(undefined);
    try {
      const response = await fetch("/v1/credits/ledger", { headers: { accept: "text/csv" } });
      if (!response.ok)
        throw new ApiError(response.status, toShownError(await response.json().catch(() => ({}))));
      const url = URL.createObjectURL(await response.blob());
      const a = document.createElement("a");
      a.href = url;
      a.download = `credit-ledger-${new Date().toISOString().slice(0, 10)}.csv`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setExportError(e);
    }
  };
  return (
    <Card
      flush
      title="Credit ledger"
      labelledBy="ledger-title"
      actions={
        <button type="button" className="button small" onClick={exportCsv}>
          Export CSV
        </button>
      }
    >
      <ErrorNote error={ledger.error ?? exportError} />
      {!ledger.data ? (
        <Loading />
      ) : ledger.data.data.length === 0 ? (
        <EmptyState title="No entries">
          Every grant, hold, capture and release of credits is written here.
        </EmptyState>
      ) : (
        <>
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Credit ledger, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Kind</th>
                  <th scope="col" className="num">
                    Amount
                  </th>
                  <th scope="col">For</th>
                </tr>
              </thead>
              <tbody>
                {ledger.data.data.map((e) => (
                  <tr key={e.entryId}>
                    <td className="small">{formatDateTime(e.createdAt)}</td>
                    <td>{e.kind}</td>
                    <td className="num">{e.amount > 0 ? `+${e.amount}` : e.amount}</td>
                    <td className="small">
                      {e.jobId ? (
                        <Link to={`/jobs/${e.jobId}`} className="mono">
                          {e.jobId}
                        </Link>
                      ) : null}
                      {e.batchId ? (
                        <Link to={`/batches/${e.batchId}`} className="mono">
                          {e.batchId}
                        </Link>
                      ) : null}
                      {e.reason ?? ""}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            page={paging.page}
            hasNext={Boolean(ledger.data.nextCursor)}
            onPrevious={paging.previous}
            onNext={() => paging.next(ledger.data.nextCursor!)}
          />
        </>
      )}
    </Card>
  );
}
