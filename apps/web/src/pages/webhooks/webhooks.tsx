import type { ListWebhookDeliveriesRequest, WebhookDeliveryStatus } from "@mcpmediaengine/contract";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { trpc } from "../../api/trpc";
import { formatDateTime } from "../../format";
import { ConfirmButton, CopyButton, Field, Pager } from "../../ui/controls";
import { ErrorNote } from "../../ui/feedback";
import { Card, EmptyState, Loading, PageHeader } from "../../ui/page";
import { useCursorPages } from "../../ui/use-cursor-pages";
import { DeliveriesTable } from "./deliveries-table";
import { EndpointForm } from "./endpoint-form";

export function Webhooks() {
  return (
    <div className="page">
      <PageHeader
        title="Webhooks"
        description="Signed POSTs (Standard Webhooks) when jobs and batches end, to a job's own URL or your endpoints."
      />
      <SecretCard />
      <EndpointsCard />
      <DeliveriesCard />
    </div>
  );
}

function SecretCard() {
  const client = useQueryClient();
  const [shown, setShown] = useState(false);
  const secret = useQuery({
    queryKey: ["webhook-secret"],
    queryFn: () => trpc.webhooks.secret.query(),
    enabled: shown,
  });
  const rotate = useMutation({
    mutationFn: () => trpc.webhooks.rotateSecret.mutate(),
    onSuccess: (s) => {
      client.setQueryData(["webhook-secret"], s);
      setShown(true);
    },
  });
  return (
    <Card title="Default signing secret" labelledBy="secret-title">
      <p className="muted">
        Signs the deliveries to a job's own <code>webhookUrl</code>. Verify them with{" "}
        <code>verifyWebhook</code> from the SDK.
      </p>
      <ErrorNote error={secret.error ?? rotate.error} />
      <div className="secret">
        {shown && secret.data ? (
          <>
            <code>{secret.data.secret}</code>
            <CopyButton text={secret.data.secret} />
            <button type="button" className="button small" onClick={() => setShown(false)}>
              Hide
            </button>
          </>
        ) : (
          <>
            <code>whsec_••••••••••••••••</code>
            <button type="button" className="button small" onClick={() => setShown(true)}>
              Reveal
            </button>
          </>
        )}
        <ConfirmButton
          label="Rotate"
          confirmLabel="Rotate the secret"
          busy={rotate.isPending}
          onConfirm={() => rotate.mutate()}
        />
      </div>
      {secret.data?.previousSecretExpiresAt ? (
        <p className="small muted">
          The previous secret also signs deliveries until{" "}
          {formatDateTime(secret.data.previousSecretExpiresAt)}.
        </p>
      ) : null}
    </Card>
  );
}

function EndpointsCard() {
  const client = useQueryClient();
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string>();
  const [created, setCreated] = useState<{ url: string; secret: string }>();
  const endpoints = useQuery({ queryKey: ["endpoints"], queryFn: () => trpc.webhooks.listEndpoints.query() });
  const refresh = () => client.invalidateQueries({ queryKey: ["endpoints"] });
  const remove = useMutation({
    mutationFn: (endpointId: string) => trpc.webhooks.deleteEndpoint.mutate({ endpointId }),
    onSuccess: refresh,
  });
  const toggle = useMutation({
    mutationFn: (e: { endpointId: string; enabled: boolean }) => trpc.webhooks.updateEndpoint.mutate(e),
    onSuccess: refresh,
  });
  const replay = useMutation({
    mutationFn: (endpointId: string) =>
      trpc.webhooks.replayEndpoint.mutate({
        endpointId,
        since: new Date(Date.now() - 7 * 86_400_000).toISOString(),
      }),
  });

  return (
    <Card
      flush
      title="Endpoints"
      labelledBy="endpoints-title"
      actions={
        !adding ? (
          <button type="button" className="button primary small" onClick={() => setAdding(true)}>
            Add endpoint
          </button>
        ) : null
      }
    >
      <div className="stack" style={{ padding: adding || created ? 20 : 0 }}>
        {created ? (
          <div className="note success" role="status">
            <p>
              Endpoint added for <strong>{created.url}</strong>. Its signing secret:
            </p>
            <div className="secret" style={{ marginTop: 8 }}>
              <code>{created.secret}</code>
              <CopyButton text={created.secret} />
            </div>
          </div>
        ) : null}
        {adding ? (
          <EndpointForm
            onCancel={() => setAdding(false)}
            onSave={async (input) => {
              const endpoint = await trpc.webhooks.createEndpoint.mutate(input);
              setCreated({ url: endpoint.url, secret: endpoint.secret });
              setAdding(false);
              await refresh();
            }}
          />
        ) : null}
      </div>
      <ErrorNote error={endpoints.error ?? remove.error ?? toggle.error ?? replay.error} />
      {replay.data ? (
        <p className="note" role="status" style={{ margin: 16 }}>
          {replay.data.replayed} failed deliveries of the last 7 days queued again.
        </p>
      ) : null}
      {!endpoints.data ? (
        <Loading />
      ) : endpoints.data.data.length === 0 ? (
        <EmptyState title="No endpoints">
          Add a URL to receive every job's events of your account, each signed with the endpoint's own secret.
          Up to 20 endpoints.
        </EmptyState>
      ) : (
        <ul className="stack" style={{ listStyle: "none", margin: 0, padding: 20 }}>
          {endpoints.data.data.map((e) => (
            <li
              key={e.endpointId}
              className="stack"
              data-endpoint-id={e.endpointId}
              style={{ borderBottom: "1px solid var(--border)", paddingBottom: 12 }}
            >
              {editing === e.endpointId ? (
                <EndpointForm
                  endpoint={e}
                  onCancel={() => setEditing(undefined)}
                  onSave={async (input) => {
                    await trpc.webhooks.updateEndpoint.mutate({
                      endpointId: e.endpointId,
                      ...input,
                      events: input.events ?? null,
                    });
                    setEditing(undefined);
                    await refresh();
                  }}
                />
              ) : (
                <div className="row" style={{ justifyContent: "space-between" }}>
                  <div style={{ minWidth: 0 }}>
                    <div style={{ overflowWrap: "anywhere" }}>
                      <strong>{e.url}</strong>{" "}
                      <span className={`badge ${e.enabled ? "ok" : "bad"}`}>
                        {e.enabled ? "enabled" : "disabled"}
                      </span>
                    </div>
                    <div className="small muted">
                      {e.events ? e.events.join(", ") : "every event"}
                      {e.description ? ` · ${e.description}` : ""}
                      {e.disabledReason ? ` · ${e.disabledReason}` : ""}
                      {e.failingSince ? ` · failing since ${formatDateTime(e.failingSince)}` : ""}
                    </div>
                  </div>
                  <div className="actions">
                    <button type="button" className="button small" onClick={() => setEditing(e.endpointId)}>
                      Edit
                    </button>
                    <button
                      type="button"
                      className="button small"
                      onClick={() => toggle.mutate({ endpointId: e.endpointId, enabled: !e.enabled })}
                    >
                      {e.enabled ? "Disable" : "Enable"}
                    </button>
                    <button
                      type="button"
                      className="button small"
                      onClick={() => replay.mutate(e.endpointId)}
                    >
                      Replay failed (7 days)
                    </button>
                    <ConfirmButton
                      label="Delete"
                      confirmLabel="Delete endpoint"
                      onConfirm={() => remove.mutate(e.endpointId)}
                    />
                  </div>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function DeliveriesCard() {
  const [status, setStatus] = useState<WebhookDeliveryStatus | "">("");
  const paging = useCursorPages(status);
  const input: ListWebhookDeliveriesRequest = {
    limit: 20,
    cursor: paging.cursor,
    status: status || undefined,
  };
  const deliveries = useQuery({
    queryKey: ["deliveries", input],
    queryFn: () => trpc.webhooks.listDeliveries.query(input),
    placeholderData: keepPreviousData,
  });
  return (
    <Card
      flush
      title="Delivery log"
      labelledBy="log-title"
      actions={
        <Field label="Status">
          {({ id }) => (
            <select
              id={id}
              value={status}
              onChange={(e) => setStatus(e.target.value as WebhookDeliveryStatus | "")}
            >
              <option value="">Any</option>
              <option>pending</option>
              <option>succeeded</option>
              <option>failed</option>
            </select>
          )}
        </Field>
      }
    >
      <ErrorNote error={deliveries.error} />
      {!deliveries.data ? (
        <Loading />
      ) : deliveries.data.data.length === 0 ? (
        <EmptyState title="No deliveries yet">
          Each event sent to a webhook is logged here with every attempt: status, latency and the answer.
        </EmptyState>
      ) : (
        <>
          <DeliveriesTable deliveries={deliveries.data.data} />
          <Pager
            page={paging.page}
            hasNext={Boolean(deliveries.data.nextCursor)}
            onPrevious={paging.previous}
            onNext={() => paging.next(deliveries.data.nextCursor!)}
          />
        </>
      )}
    </Card>
  );
}
