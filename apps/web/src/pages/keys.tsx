import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { trpc } from "../api/trpc";
import { formatDateTime } from "../format";
import { ConfirmButton, CopyButton, Field } from "../ui/controls";
import { ErrorNote } from "../ui/feedback";
import { Card, EmptyState, Loading, PageHeader } from "../ui/page";

export function Keys() {
  const client = useQueryClient();
  const keys = useQuery({ queryKey: ["keys"], queryFn: () => trpc.keys.list.query() });
  const [name, setName] = useState("");
  const [created, setCreated] = useState<{ name: string; apiKey: string }>();
  const create = useMutation({
    mutationFn: () => trpc.keys.create.mutate({ name }),
    onSuccess: (key) => {
      setCreated({ name: key.name, apiKey: key.apiKey });
      setName("");
      void client.invalidateQueries({ queryKey: ["keys"] });
    },
  });
  const revoke = useMutation({
    mutationFn: (keyId: string) => trpc.keys.revoke.mutate({ keyId }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["keys"] }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };

  return (
    <div className="page">
      <PageHeader
        title="API keys"
        description="Keys for the REST API, the SDK and MCP clients. A key is shown once, when it is made."
      />
      <Card title="Create a key" labelledBy="create-key-title">
        <form className="row" onSubmit={submit} style={{ alignItems: "flex-end" }}>
          <Field label="Name" hint="Where the key is used, such as “blog agent” or “CI”." className="grow">
            {({ id, describedBy }) => (
              <input
                id={id}
                type="text"
                value={name}
                required
                maxLength={100}
                onChange={(e) => setName(e.target.value)}
                aria-describedby={describedBy}
              />
            )}
          </Field>
          <button type="submit" className="button primary" disabled={create.isPending || !name.trim()}>
            Create key
          </button>
        </form>
        <ErrorNote error={create.error} />
        {created ? (
          <div className="note success" role="status">
            <p>
              Key <strong>{created.name}</strong> is ready. Copy it now: it will not be shown again.
            </p>
            <div className="secret" style={{ marginTop: 8 }}>
              <code data-testid="created-key">{created.apiKey}</code>
              <CopyButton text={created.apiKey} />
            </div>
          </div>
        ) : null}
      </Card>
      <Card flush title="Your keys" labelledBy="keys-title">
        <ErrorNote error={keys.error ?? revoke.error} />
        {!keys.data ? (
          <Loading />
        ) : keys.data.data.length === 0 ? (
          <EmptyState title="No keys">
            Create a key above to call the API from your code or an agent.
          </EmptyState>
        ) : (
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">API keys</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Key</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {keys.data.data.map((k) => (
                  <tr key={k.keyId} data-key-id={k.keyId}>
                    <td>
                      {k.name || <span className="muted">unnamed</span>}{" "}
                      {k.current ? <span className="badge accent">this session</span> : null}
                    </td>
                    <td className="mono small">{k.hint}</td>
                    <td className="small">{formatDateTime(k.createdAt)}</td>
                    <td className="small">{k.lastUsedAt ? formatDateTime(k.lastUsedAt) : "never"}</td>
                    <td>
                      {k.revokedAt ? (
                        <span className="badge bad">revoked {formatDateTime(k.revokedAt)}</span>
                      ) : (
                        <ConfirmButton
                          label="Revoke"
                          confirmLabel={`Revoke ${k.name || k.hint}`}
                          busy={revoke.isPending}
                          onConfirm={() => revoke.mutate(k.keyId)}
                        />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
}
