import { useQuery } from "@tanstack/react-query";
import { trpc } from "../api/trpc";
import { formatCredits, formatDate, formatNumber } from "../format";
import { Link } from "../router/router";
import { ErrorNote } from "../ui/feedback";
import { Card, EmptyState, Loading, PageHeader, Stat } from "../ui/page";
import { SpendChart } from "../ui/spend-chart";
import { JobsTable } from "./jobs/jobs-table";
import { useSpendByDay } from "./usage-data";

export function Overview() {
  const account = useQuery({ queryKey: ["account"], queryFn: () => trpc.account.get.query() });
  const recent = useQuery({
    queryKey: ["jobs", { limit: 5 }],
    queryFn: () => trpc.jobs.list.query({ limit: 5 }),
  });
  const spend = useSpendByDay(30);

  return (
    <div className="page">
      <PageHeader
        title="Overview"
        description="Your plan, your credits and what you made lately."
        actions={
          <Link className="button primary" to="/playground">
            New generation
          </Link>
        }
      />
      <ErrorNote error={account.error} />
      {account.data ? (
        <div className="grid">
          <Stat
            label="Plan"
            // The plan's name is its id capitalized; reading it from the contract would load the contract's chunk.
            value={account.data.plan[0]!.toUpperCase() + account.data.plan.slice(1)}
            hint={<Link to="/usage">See plans</Link>}
          />
          <Stat
            label="Balance"
            value={<span data-testid="balance">{formatNumber(account.data.balance)}</span>}
            hint={
              account.data.held > 0 ? `${formatCredits(account.data.held)} held by running jobs` : "credits"
            }
          />
          <Stat
            label="Spent this month"
            value={formatNumber(account.data.usage.creditsSpent)}
            hint={`${formatNumber(account.data.usage.jobsCompleted)} jobs completed since ${formatDate(account.data.usage.periodStart)}`}
          />
        </div>
      ) : account.isPending ? (
        <Loading />
      ) : null}
      <Card title="Spend, last 30 days" labelledBy="spend-title">
        <ErrorNote error={spend.error} />
        {spend.data ? (
          <SpendChart
            days={spend.data}
            caption="Credits spent per day over the last 30 days, by media type"
          />
        ) : (
          <Loading />
        )}
      </Card>
      <Card
        flush
        title="Recent jobs"
        labelledBy="recent-title"
        actions={
          <Link className="button small" to="/jobs">
            All jobs
          </Link>
        }
      >
        <ErrorNote error={recent.error} />
        {recent.data && recent.data.data.length > 0 ? (
          <JobsTable jobs={recent.data.data} caption="Your five most recent jobs" />
        ) : recent.data ? (
          <EmptyState
            title="No jobs yet"
            action={
              <Link className="button primary" to="/playground">
                Open the playground
              </Link>
            }
          >
            Try a blog thumbnail in the playground: it is drawn on this machine in about a second and costs
            one credit.
          </EmptyState>
        ) : (
          <Loading />
        )}
      </Card>
    </div>
  );
}
