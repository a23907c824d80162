import { type AccountAsset, type ListAssetsRequest, MediaType } from "@mcpmediaengine/contract";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { trpc } from "../api/trpc";
import { formatBytes, formatDateTime, formatDuration } from "../format";
import { Link, setSearch, useLocation } from "../router/router";
import { Field, Pager } from "../ui/controls";
import { ErrorNote } from "../ui/feedback";
import { Card, EmptyState, Loading, PageHeader } from "../ui/page";
import { useCursorPages } from "../ui/use-cursor-pages";

/** What the account made: its jobs' main files, newest first (pictures and video posters as tiles, speech as rows). */
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
  const input: ListAssetsRequest = { role: "main", type, model, limit: 24, cursor: paging.cursor };
  const assets = useQuery({
    queryKey: ["gallery", input],
    queryFn: () => trpc.assets.list.query(input),
    placeholderData: keepPreviousData,
  });
  const visual = assets.data?.data.filter((a) => a.type !== "audio") ?? [];
  const audio = assets.data?.data.filter((a) => a.type === "audio") ?? [];

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
      <ErrorNote error={assets.error} />
      {!assets.data ? (
        <Loading />
      ) : assets.data.data.length === 0 ? (
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
              {visual.map((asset) => (
                <Tile key={asset.assetId} asset={asset} />
              ))}
            </ul>
          ) : null}
          {audio.length > 0 ? (
            <Card flush title="Speech" labelledBy="speech-title">
              <ul className="stack" style={{ listStyle: "none", padding: 16, margin: 0 }}>
                {audio.map((asset) => (
                  <li key={asset.assetId} className="row" style={{ justifyContent: "space-between" }}>
                    <Link to={`/jobs/${asset.jobId}`} style={{ flex: "1 1 220px" }}>
                      {asset.prompt.slice(0, 80)}
                    </Link>
                    {/* biome-ignore lint/a11y/useMediaCaption: captions are on the job's page */}
                    <audio src={asset.url} controls preload="none" aria-label={`Speech of ${asset.jobId}`} />
                    <a className="button small" href={asset.url} download>
                      Download
                    </a>
                  </li>
                ))}
              </ul>
            </Card>
          ) : null}
          <Card flush>
            <Pager
              page={paging.page}
              hasNext={Boolean(assets.data.nextCursor)}
              onPrevious={paging.previous}
              onNext={() => paging.next(assets.data.nextCursor!)}
            />
          </Card>
        </>
      )}
    </div>
  );
}

function Tile(props: { asset: AccountAsset }) {
  const { asset } = props;
  const still = asset.type === "video" ? asset.posterUrl : asset.url;
  return (
    <li className="tile" data-job-id={asset.jobId} data-asset-id={asset.assetId}>
      <Link to={`/jobs/${asset.jobId}`} aria-label={`Open ${asset.jobId}`}>
        {still ? <img src={still} alt={asset.prompt.slice(0, 120)} loading="lazy" /> : null}
      </Link>
      <div className="tile-body">
        <span style={{ overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }}>
          {asset.prompt}
        </span>
        <span className="muted">
          {asset.model} · {asset.width}×{asset.height}
          {asset.durationMs ? ` · ${formatDuration(asset.durationMs)}` : ""} · {formatBytes(asset.bytes)}
        </span>
        <span className="muted">{formatDateTime(asset.createdAt)}</span>
        <a className="button small" href={asset.url} download data-testid="download">
          Download
        </a>
      </div>
    </li>
  );
}
