import type { Asset, Job } from "@mcpmediaengine/contract";
import { useQuery } from "@tanstack/react-query";
import { formatBytes, formatDuration } from "../format";

/** A job's output as a person wants it: the picture, a player, or the speech with its captions. */
export function JobOutput(props: { job: Job }) {
  const assets = props.job.result?.assets ?? [];
  const main = assets.find((a) => a.role === "main");
  const poster = assets.find((a) => a.role === "poster");
  const vtt = assets.find((a) => a.role === "captions" && a.mimeType.startsWith("text/vtt"));
  if (!main) return null;
  const alt = `Output of ${props.job.jobId}: ${(props.job.input as { prompt?: string }).prompt ?? ""}`;
  if (main.mimeType.startsWith("image/"))
    return (
      <div className="media-frame">
        <img src={main.url} alt={alt} width={main.width} height={main.height} data-testid="job-image" />
      </div>
    );
  if (main.mimeType.startsWith("video/"))
    return (
      <div className="media-frame">
        {/* biome-ignore lint/a11y/useMediaCaption: captions are burned into the clip's frames */}
        <video src={main.url} poster={poster?.url} controls preload="metadata" aria-label={alt} />
      </div>
    );
  return (
    <div className="stack">
      {/* biome-ignore lint/a11y/useMediaCaption: the captions are shown as text below the player */}
      <audio src={main.url} controls preload="metadata" aria-label={alt} style={{ width: "100%" }} />
      {vtt ? <Captions asset={vtt} /> : null}
    </div>
  );
}

function Captions(props: { asset: Asset }) {
  const text = useQuery({
    queryKey: ["captions", props.asset.assetId],
    queryFn: async () => (await fetch(props.asset.url)).text(),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const cues = (text.data ?? "")
    .split(/\r?\n\r?\n/)
    .map((block) =>
      block.split(/\r?\n/).filter((l) => l && !l.includes("-->") && l !== "WEBVTT" && !/^\d+$/.test(l)),
    )
    .map((lines) => lines.join(" "))
    .filter(Boolean);
  return (
    <details open>
      <summary>Captions</summary>
      <p className="small" style={{ marginTop: 8 }}>
        {cues.join(" ")}
      </p>
    </details>
  );
}

/** Every file of a job with its size and a download link (signed: it needs no key). */
export function AssetList(props: { assets: Asset[] }) {
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">Files</caption>
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Role</th>
            <th scope="col">Details</th>
            <th scope="col" className="num">
              Size
            </th>
            <th scope="col">
              <span className="visually-hidden">Download</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.assets.map((a) => (
            <tr key={a.assetId}>
              <td className="mono small">{a.assetId}</td>
              <td>{a.role}</td>
              <td className="small">
                {a.mimeType}
                {a.width ? ` · ${a.width}×${a.height}` : ""}
                {a.durationMs ? ` · ${formatDuration(a.durationMs)}` : ""}
              </td>
              <td className="num">{formatBytes(a.bytes)}</td>
              <td>
                <a
                  className="button small"
                  href={a.url}
                  download
                  aria-label={`Download ${a.role} ${a.assetId}`}
                >
                  Download
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
