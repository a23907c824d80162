import type { Job } from "@mcpmediaengine/contract";
import { formatDateTime } from "../../format";
import { Link } from "../../router/router";
import { ProgressBar, StatusBadge } from "../../ui/feedback";

export function promptOf(job: Job): string {
  return (job.input as { prompt?: string }).prompt ?? "";
}

/** Jobs as rows: what was asked, on which model, where it stands, what it costs. */
export function JobsTable(props: { jobs: Job[]; caption: string }) {
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Job</th>
            <th scope="col" className="hide-narrow">
              Type
            </th>
            <th scope="col" className="hide-narrow">
              Model
            </th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Credits
            </th>
            <th scope="col" className="hide-narrow">
              Created
            </th>
          </tr>
        </thead>
        <tbody>
          {props.jobs.map((job) => (
            <tr key={job.jobId} data-job-id={job.jobId} data-status={job.status}>
              <td style={{ maxWidth: 320 }}>
                <Link to={`/jobs/${job.jobId}`} className="mono">
                  {job.jobId}
                </Link>
                <div
                  className="small muted"
                  style={{ overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" }}
                >
                  {promptOf(job)}
                </div>
              </td>
              <td className="hide-narrow">{job.type}</td>
              <td className="hide-narrow">{job.model}</td>
              <td>
                <div className="stack" style={{ gap: 4, minWidth: 110 }}>
                  <StatusBadge status={job.status} />
                  {job.status === "processing" ? (
                    <ProgressBar value={job.progress} label={`Progress of ${job.jobId}`} />
                  ) : null}
                </div>
              </td>
              <td className="num">{job.cost.credits}</td>
              <td className="small hide-narrow">{formatDateTime(job.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
