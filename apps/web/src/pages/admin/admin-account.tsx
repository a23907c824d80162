import { PlanId } from "@mcpmediaengine/contract";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { toShownError } from "../../api/errors";
import { trpc } from "../../api/trpc";
import { formatDateTime, formatNumber } from "../../format";
import { NotFound } from "../../shell/not-found";
import { ConfirmButton, Field } from "../../ui/controls";
import { ErrorNote } from "../../ui/feedback";
import { Card, EmptyState, Loading, PageHeader, Stat } from "../../ui/page";

export function AdminAccount(props: { params: Record<string, string> }) {
  const accountId = props.params.accountId!;
  const client = useQueryClient();
  const account = useQuery({
    queryKey: ["admin", "account", accountId],
    queryFn: () => trpc.admin.getAccount.query({ accountId }),
    retry: false,
  });
  const keys = useQuery({
    queryKey: ["admin", "keys", accountId],
    queryFn: () => trpc.admin.listKeys.query({ accountId }),
    enabled: Boolean(account.data),
  });
  const refresh = () => client.invalidateQueries({ queryKey: ["admin"] });
  const changePlan = useMutation({
    mutationFn: (plan: PlanId) => trpc.admin.changePlan.mutate({ accountId, plan }),
    onSuccess: refresh,
  });
  const grant = useMutation({
    mutationFn: (input: { credits: number; reason: string }) =>
      trpc.admin.postCredits.mutate({ accountId, ...input }),
    onSuccess: refresh,
  });
  const revoke = useMutation({
    mutationFn: (keyId: string) => trpc.admin.revokeKey.mutate({ keyId }),
    onSuccess: refresh,
  });
  const [credits, setCredits] = useState("");
  const [reason, setReason] = useState("");

  const code = account.error ? toShownError(account.error).code : undefined;
  if (code === "not_found" || code === "invalid_request") return <NotFound what="account" />;
  if (!account.data) return account.error ? <ErrorNote error={account.error} /> : <Loading />;
  const a = account.data;
  const submitGrant = (event: FormEvent) => {
    event.preventDefault();
    grant.mutate({ credits: Number(credits), reason });
  };

  return (
    <div className="page">
      <PageHeader title={a.name} description={<span className="mono">{a.accountId}</span>} />
      <div className="grid">
        <Stat label="Balance" value={formatNumber(a.balance)} hint={`${formatNumber(a.held)} held`} />
        <Stat
          label="Spent this month"
          value={formatNumber(a.usage.creditsSpent)}
          hint={`${a.usage.jobsCompleted} jobs`}
        />
        <Stat label="Opened" value={<span className="small">{formatDateTime(a.createdAt)}</span>} />
      </div>
      <div className="split">
        <Card title="Plan" labelledBy="plan-title">
          <Field label="Plan" hint="Takes effect at once; a monthly plan's grant arrives on the 1st.">
            {({ id, describedBy }) => (
              <select
                id={id}
                value={a.plan}
                aria-describedby={describedBy}
                onChange={(e) => changePlan.mutate(e.target.value as PlanId)}
              >
                {PlanId.options.map((p) => (
                  <option key={p}>{p}</option>
                ))}
              </select>
            )}
          </Field>
          <ErrorNote error={changePlan.error} />
        </Card>
        <Card title="Grant credits" labelledBy="grant-title">
          <form className="stack" onSubmit={submitGrant}>
            <div className="form-grid">
              <Field label="Credits" hint="Negative to take away; never below zero.">
                {({ id, describedBy }) => (
                  <input
                    id={id}
                    type="number"
                    step={1}
                    required
                    value={credits}
                    onChange={(e) => setCredits(e.target.value)}
                    aria-describedby={describedBy}
                  />
                )}
              </Field>
              <Field label="Reason" hint="Written to the account's ledger.">
                {({ id, describedBy }) => (
                  <input
                    id={id}
                    type="text"
                    required
                    value={reason}
                    onChange={(e) => setReason(e.target.value)}
                    aria-describedby={describedBy}
                  />
                )}
              </Field>
            </div>
            <ErrorNote error={grant.error} />
            {grant.isSuccess ? (
              <p className="note success" role="status">
                Done: the balance is updated.
              </p>
            ) : null}
            <div>
              <button type="submit" className="button primary" disabled={grant.isPending}>
                Grant
              </button>
            </div>
          </form>
        </Card>
      </div>
      <Card flush title="API keys" labelledBy="admin-keys-title">
        <ErrorNote error={keys.error ?? revoke.error} />
        {!keys.data ? (
          <Loading />
        ) : keys.data.data.length === 0 ? (
          <EmptyState title="No keys">This account has no API key.</EmptyState>
        ) : (
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">The account's API keys</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Key</th>
                  <th scope="col">Last used</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {keys.data.data.map((k) => (
                  <tr key={k.keyId}>
                    <td>{k.name || <span className="muted">unnamed</span>}</td>
                    <td className="mono small">{k.hint}</td>
                    <td className="small">{k.lastUsedAt ? formatDateTime(k.lastUsedAt) : "never"}</td>
                    <td>
                      {k.revokedAt ? (
                        <span className="badge bad">revoked</span>
                      ) : (
                        <ConfirmButton
                          label="Revoke"
                          confirmLabel="Revoke key"
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
