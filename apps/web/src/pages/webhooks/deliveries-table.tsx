import type { WebhookDelivery } from "@mcpmediaengine/contract";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { trpc } from "../../api/trpc";
import { formatDateTime } from "../../format";
import { ErrorNote } from "../../ui/feedback";

const STATUS_CLASS = { pending: "warn", succeeded: "ok", failed: "bad" } as const;

/** Deliveries with their last attempt; an ended one can be sent again (same webhook-id). */
export function DeliveriesTable(props: { deliveries: WebhookDelivery[] }) {
  const client = useQueryClient();
  const redeliver = useMutation({
    mutationFn: (deliveryId: string) => trpc.webhooks.redeliver.mutate({ deliveryId }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["deliveries"] }),
  });
  return (
    <div className="stack">
      <ErrorNote error={redeliver.error} />
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">Webhook deliveries</caption>
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">To</th>
              <th scope="col">Status</th>
              <th scope="col">Last attempt</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.deliveries.map((d) => {
              const last = d.attempts[d.attempts.length - 1];
              return (
                <tr key={d.deliveryId}>
                  <td>
                    <div>{d.eventType}</div>
                    <div className="mono small muted">{d.deliveryId}</div>
                  </td>
                  <td className="small" style={{ overflowWrap: "anywhere", maxWidth: 260 }}>
                    {d.url}
                  </td>
                  <td>
                    <span className={`badge ${STATUS_CLASS[d.status]}`}>{d.status}</span>
                  </td>
                  <td className="small">
                    {last
                      ? `${last.statusCode ?? last.error ?? "no answer"} · ${last.latencyMs} ms · ${formatDateTime(last.attemptedAt)} (attempt ${last.attempt})`
                      : d.nextAttemptAt
                        ? `first try ${formatDateTime(d.nextAttemptAt)}`
                        : "—"}
                  </td>
                  <td>
                    {d.status !== "pending" ? (
                      <button
                        type="button"
                        className="button small"
                        disabled={redeliver.isPending}
                        onClick={() => redeliver.mutate(d.deliveryId)}
                      >
                        Redeliver
                      </button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
