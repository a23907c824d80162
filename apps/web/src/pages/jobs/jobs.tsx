import { JobStatus, type ListJobsRequest, MediaType } from "@mcpmediaengine/contract";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { trpc } from "../../api/trpc";
import { useLiveState } from "../../live/job-stream";
import { Link, setSearch, useLocation } from "../../router/router";
import { Field, Pager } from "../../ui/controls";
import { ErrorNote } from "../../ui/feedback";
import { Card, EmptyState, Loading, PageHeader } from "../../ui/page";
import { useCursorPages } from "../../ui/use-cursor-pages";
import { JobsTable } from "./jobs-table";

const FILTERS = ["status", "type", "model", "batchId", "from", "to"] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

/** A local calendar day's start, as the ISO time the API filters on. */
const dayStart = (day: string, plusDays = 0) => {
  const d = new Date(`${day}T00:00:00`);
  d.setDate(d.getDate() + plusDays);
  return d.toISOString();
};

export function Jobs() {
  const { search } = useLocation();
  const filters: Filters = Object.fromEntries(FILTERS.map((f) => [f, search.get(f) ?? undefined]));
  const paging = useCursorPages(JSON.stringify(filters));
  const models = useQuery({
    queryKey: ["models"],
    queryFn: () => trpc.models.list.query(),
    staleTime: 300_000,
  });
  const live = useLiveState();
  const input: ListJobsRequest = {
    limit: 25,
    cursor: paging.cursor,
    status: filters.status as JobStatus | undefined,
    type: filters.type as MediaType | undefined,
    model: filters.model,
    batchId: filters.batchId,
    createdAfter: filters.from ? dayStart(filters.from) : undefined,
    createdBefore: filters.to ? dayStart(filters.to, 1) : undefined,
  };
  const jobs = useQuery({
    queryKey: ["jobs", input],
    queryFn: () => trpc.jobs.list.query(input),
    placeholderData: keepPreviousData,
  });
  const setFilter = (name: keyof Filters, value: string) =>
    setSearch({ ...filters, [name]: value || undefined }, { replace: true });
  const filtered = Object.values(filters).some(Boolean);

  return (
    <div className="page">
      <PageHeader
        title="Jobs"
        description={
          <>
            Every job of your account, newest first.{" "}
            <span className={`badge ${live === "live" ? "ok" : "warn"}`} aria-live="polite">
              {live === "live" ? "Live" : live === "connecting" ? "Connecting…" : "Reconnecting…"}
            </span>
          </>
        }
        actions={
          <Link className="button primary" to="/playground">
            New job
          </Link>
        }
      />
      <Card title="Filters" labelledBy="filters-title">
        <div className="form-grid">
          <Field label="Status">
            {({ id }) => (
              <select
                id={id}
                value={filters.status ?? ""}
                onChange={(e) => setFilter("status", e.target.value)}
              >
                <option value="">Any</option>
                {JobStatus.options.map((s) => (
                  <option key={s}>{s}</option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Type">
            {({ id }) => (
              <select id={id} value={filters.type ?? ""} onChange={(e) => setFilter("type", e.target.value)}>
                <option value="">Any</option>
                {MediaType.options.map((s) => (
                  <option key={s}>{s}</option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Model">
            {({ id }) => (
              <select
                id={id}
                value={filters.model ?? ""}
                onChange={(e) => setFilter("model", e.target.value)}
              >
                <option value="">Any</option>
                {(models.data?.data ?? []).map((m) => (
                  <option key={m.id}>{m.id}</option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Batch">
            {({ id }) => (
              <input
                id={id}
                type="search"
                placeholder="bat_…"
                defaultValue={filters.batchId ?? ""}
                onKeyDown={(e) => {
                  if (e.key === "Enter") setFilter("batchId", e.currentTarget.value.trim());
                }}
                onBlur={(e) => setFilter("batchId", e.currentTarget.value.trim())}
              />
            )}
          </Field>
          <Field label="From">
            {({ id }) => (
              <input
                id={id}
                type="date"
                value={filters.from ?? ""}
                onChange={(e) => setFilter("from", e.target.value)}
              />
            )}
          </Field>
          <Field label="To">
            {({ id }) => (
              <input
                id={id}
                type="date"
                value={filters.to ?? ""}
                onChange={(e) => setFilter("to", e.target.value)}
              />
            )}
          </Field>
        </div>
      </Card>
      <Card flush>
        <ErrorNote error={jobs.error} />
        {jobs.data && jobs.data.data.length > 0 ? (
          <>
            <JobsTable jobs={jobs.data.data} caption="Jobs" />
            <Pager
              page={paging.page}
              hasNext={Boolean(jobs.data.nextCursor)}
              onPrevious={paging.previous}
              onNext={() => paging.next(jobs.data.nextCursor!)}
            />
          </>
        ) : jobs.data ? (
          filtered ? (
            <EmptyState
              title="No jobs match"
              action={
                <button type="button" className="button" onClick={() => setSearch({}, { replace: true })}>
                  Clear the filters
                </button>
              }
            >
              No job of your account matches these filters.
            </EmptyState>
          ) : (
            <EmptyState
              title="No jobs yet"
              action={
                <Link className="button primary" to="/playground">
                  Open the playground
                </Link>
              }
            >
              Jobs you submit here, with the API, the SDK or an agent over MCP all show up in this list, live.
            </EmptyState>
          )
        ) : (
          <Loading />
        )}
      </Card>
    </div>
  );
}
