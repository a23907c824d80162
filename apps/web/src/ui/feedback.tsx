import { type ShownError, toShownError } from "../api/errors";

/** A failure shown where it happened, with the code and the request id to quote. */
export function ErrorNote(props: { error: unknown; title?: string }) {
  if (!props.error) return null;
  const e: ShownError = toShownError(props.error);
  return (
    <div className="note error" role="alert">
      <strong>{props.title ?? messageTitle(e.code)}</strong> {e.message}{" "}
      <span className="request-id">
        ({e.code}
        {e.requestId ? ` · ${e.requestId}` : ""})
      </span>
    </div>
  );
}

function messageTitle(code: string): string {
  switch (code) {
    case "insufficient_credits":
      return "Not enough credits.";
    case "rate_limited":
      return "Too many requests.";
    case "not_found":
      return "Not found.";
    case "unauthorized":
      return "Signed out.";
    case "forbidden":
      return "Not allowed.";
    case "connection_error":
      return "No connection.";
    default:
      return "That did not work.";
  }
}

const STATUS_CLASS: Record<string, string> = {
  queued: "queued",
  processing: "processing",
  completed: "completed",
  failed: "failed",
  canceled: "",
};

export function StatusBadge(props: { status: string }) {
  return <span className={`badge ${STATUS_CLASS[props.status] ?? ""}`}>{props.status}</span>;
}

export function ProgressBar(props: { value: number; label: string }) {
  const pct = Math.round(Math.max(0, Math.min(1, props.value)) * 100);
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={props.label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
    >
      <span style={{ width: `${pct}%` }} />
    </div>
  );
}
