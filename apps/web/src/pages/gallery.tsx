import { type Job, type ListJobsRequest, MediaType } from "@mcpmediaengine/contract";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { trpc } from "../api/trpc";
import { formatBytes, formatDateTime, formatDuration } from "../format";
import { Link, setSearch, useLocation } from "../router/router";
import { Field, Pager } from "../ui/controls";
import { ErrorNote } from "../ui/feedback";
import { Card, EmptyState, Loading, PageHeader } from "../ui/page";
import { useCursorPages } from "../ui/use-cursor-pages";
import { promptOf } from "./jobs/jobs-table";

/** What the account made: completed jobs' files, newest first (pictures and posters as tiles, speech as rows). */
export function Gallery() {
  const { search } = useLocation();
  const type = (search.get("type") ?? undefined) as MediaType | undefined;
  const model = search.get("model") ?? undefined;
  const paging = useCursorPages(`${type}|${model}`);
  const models = useQuery({
    queryKey: ["models"],
    queryFn: () => trpc.models.list.query(),
    staleTime: 300_000,
  });
  const input: ListJobsRequest = { status: "completed", type, model, limit: 24, cursor: paging.cursor };
  const jobs = useQuery({
    queryKey: ["gallery", input],
    queryFn: () => trpc.jobs.list.query(input),
    placeholderData: keepPreviousData,
  });
  const visual = jobs.data?.data.filter((j) => j.type !== "audio") ?? [];
  const audio = jobs.data?.data.filter((j) => j.type === "audio") ?? [];

  return (
    <div className="page">
      <PageHeader title="Gallery" description="Everything your jobs made, newest first." />
      <div className="form-grid" style={{ maxWidth: 520 }}>
        <Field label="Type">
          {({ id }) => (
            <select
              id={id}
              value={type ?? ""}
              onChange={(e) => setSearch({ type: e.target.value, model }, { replace: true })}
            >
              <option value="">Any</option>
              {MediaType.options.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Model">
          {({ id }) => (
            <select
              id={id}
              value={model ?? ""}
              onChange={(e) => setSearch({ type, model: e.target.value }, { replace: true })}
            >
              <option value="">Any</option>
              {(models.data?.data ?? []).map((m) => (
                <option key={m.id}>{m.id}</option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <ErrorNote error={jobs.error} />
      {!jobs.data ? (
        <Loading />
      ) : jobs.data.data.length === 0 ? (
        <Card>
          <EmptyState
            title={type || model ? "Nothing matches" : "Nothing here yet"}
            action={
              <Link className="button primary" to="/playground">
                Make something
              </Link>
            }
          >
            Completed jobs' images, clips and speech appear here. Generate one in the playground.
          </EmptyState>
        </Card>
      ) : (
        <>
          {visual.length > 0 ? (
            <ul
              className="gallery"
              style={{ listStyle: "none", padding: 0, margin: 0 }}
              aria-label="Images and videos"
            >
              {visual.map((job) => (
                <Tile key={job.jobId} job={job} />
              ))}
            </ul>
          ) : null}
          {audio.length > 0 ? (
            <Card flush title="Speech" labelledBy="speech-title">
              <ul className="stack" style={{ listStyle: "none", padding: 16, margin: 0 }}>
                {audio.map((job) => {
                  const main = job.result?.assets.find((a) => a.role === "main");
                  return main ? (
                    <li key={job.jobId} className="row" style={{ justifyContent: "space-between" }}>
                      <Link to={`/jobs/${job.jobId}`} style={{ flex: "1 1 220px" }}>
                        {promptOf(job).slice(0, 80)}
                      </Link>
                      {/* biome-ignore lint/a11y/useMediaCaption: captions are on the job's page */}
                      <audio src={main.url} controls preload="none" aria-label={`Speech of ${job.jobId}`} />
                      <a className="button small" href={main.url} download>
                        Download
                      </a>
                    </li>
                  ) : null;
                })}
              </ul>
            </Card>
          ) : null}
          <Card flush>
            <Pager
              page={paging.page}
              hasNext={Boolean(jobs.data.nextCursor)}
              onPrevious={paging.previous}
              onNext={() => paging.next(jobs.data.nextCursor!)}
            />
          </Card>
        </>
      )}
    </div>
  );
}

function Tile(props: { job: Job }) {
  const { job } = props;
  const main = job.result?.assets.find((a) => a.role === "main");
  const still = job.type === "video" ? job.result?.assets.find((a) => a.role === "poster") : main;
  if (!main) return null;
  return (
    <li className="tile" data-job-id={job.jobId}>
      <Link to={`/jobs/${job.jobId}`} aria-label={`Open ${job.jobId}`}>
        {still ? <img src={still.url} alt={promptOf(job).slice(0, 120)} loading="lazy" /> : null}
      </Link>
      <div className="tile-body">
        <span style={{ overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }}>
          {promptOf(job)}
        </span>
        <span className="muted">
          {job.model} · {main.width}×{main.height}
          {main.durationMs ? ` · ${formatDuration(main.durationMs)}` : ""} · {formatBytes(main.bytes)}
        </span>
        <span className="muted">{formatDateTime(job.completedAt)}</span>
        <a className="button small" href={main.url} download data-testid="download">
          Download
        </a>
      </div>
    </li>
  );
}
