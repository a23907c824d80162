import type { AdminListAccountsRequest } from "@mcpmediaengine/contract";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { trpc } from "../../api/trpc";
import { formatDateTime, formatNumber } from "../../format";
import { Link } from "../../router/router";
import { Field, Pager } from "../../ui/controls";
import { ErrorNote } from "../../ui/feedback";
import { Card, EmptyState, Loading, PageHeader } from "../../ui/page";
import { useCursorPages } from "../../ui/use-cursor-pages";

/** The operator's view of every account: search, then open one to change its plan, grant credits, see its keys. */
export function Admin() {
  const [query, setQuery] = useState("");
  const paging = useCursorPages(query);
  const input: AdminListAccountsRequest = { search: query || undefined, limit: 25, cursor: paging.cursor };
  const accounts = useQuery({
    queryKey: ["admin", "accounts", input],
    queryFn: () => trpc.admin.listAccounts.query(input),
    placeholderData: keepPreviousData,
  });
  return (
    <div className="page">
      <PageHeader
        title="Admin"
        description="Every account of this engine. Only the operator sees this page."
      />
      <Field label="Search accounts" hint="By name, email or account id.">
        {({ id, describedBy }) => (
          <input
            id={id}
            type="search"
            aria-describedby={describedBy}
            style={{ maxWidth: 420 }}
            onKeyDown={(e) => {
              if (e.key === "Enter") setQuery(e.currentTarget.value.trim());
            }}
            onBlur={(e) => setQuery(e.currentTarget.value.trim())}
          />
        )}
      </Field>
      <Card flush>
        <ErrorNote error={accounts.error} />
        {!accounts.data ? (
          <Loading />
        ) : accounts.data.data.length === 0 ? (
          <EmptyState title="No accounts match">Try part of a name or an email.</EmptyState>
        ) : (
          <>
            <div className="table-wrap">
              <table>
                <caption className="visually-hidden">Accounts</caption>
                <thead>
                  <tr>
                    <th scope="col">Account</th>
                    <th scope="col">Plan</th>
                    <th scope="col" className="num">
                      Balance
                    </th>
                    <th scope="col">Opened</th>
                  </tr>
                </thead>
                <tbody>
                  {accounts.data.data.map((a) => (
                    <tr key={a.accountId}>
                      <td>
                        <Link to={`/admin/accounts/${a.accountId}`}>{a.name}</Link>
                        <div className="mono small muted">{a.accountId}</div>
                      </td>
                      <td>{a.plan}</td>
                      <td className="num">{formatNumber(a.balance)}</td>
                      <td className="small">{formatDateTime(a.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager
              page={paging.page}
              hasNext={Boolean(accounts.data.nextCursor)}
              onPrevious={paging.previous}
              onNext={() => paging.next(accounts.data.nextCursor!)}
            />
          </>
        )}
      </Card>
    </div>
  );
}
