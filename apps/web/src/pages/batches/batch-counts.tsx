import type { Batch } from "@mcpmediaengine/contract";

const ORDER = ["queued", "processing", "completed", "failed", "canceled"] as const;

/** A batch's jobs by status, as compact badges. */
export function BatchCounts(props: { batch: Batch }) {
  return (
    <span className="row" style={{ gap: 6 }}>
      {ORDER.filter((s) => props.batch.counts[s] > 0).map((s) => (
        <span key={s} className={`badge ${s}`}>
          {props.batch.counts[s]} {s}
        </span>
      ))}
    </span>
  );
}
