import { type Account, type PaidPlanId, PLANS, type PlanDefinition } from "@mcpmediaengine/contract";
import { useMutation, useQuery } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { trpc } from "../api/trpc";
import { formatDateTime, formatNumber } from "../format";
import { navigate, useLocation } from "../router/router";
import { ErrorNote } from "../ui/feedback";
import { Card } from "../ui/page";

/** How long the page waits, after Stripe sent the person back, for Stripe's webhook to change the plan. */
const CONFIRM_WAIT_MS = 120_000;

/**
 * The plans, the current one marked, and what this account can do about them: with Stripe, upgrade through Stripe
 * Checkout and manage the subscription in Stripe's portal; without it, the operator changes plans. The plan shown is
 * always the engine's: it changes when Stripe's webhook confirms a payment, never on the way back from checkout.
 */
export function BillingPlans() {
  const { search } = useLocation();
  const returned = search.get("checkout");
  const billing = useQuery({
    queryKey: ["billing"],
    queryFn: () => trpc.billing.get.query(),
    refetchOnMount: "always",
  });
  // Back from checkout: the payment is Stripe's to confirm. Until its webhook has changed the plan, look again
  // now and then (bounded): the one view that waits on something outside the engine.
  const [since] = useState(() => Date.now());
  // Read afresh whenever the page opens: Stripe's events change the plan behind the console's back.
  const { data: account } = useQuery({
    queryKey: ["account"],
    queryFn: () => trpc.account.get.query(),
    refetchOnMount: "always",
    refetchInterval: (query) =>
      returned === "done" && query.state.data?.plan === "free" && Date.now() - since < CONFIRM_WAIT_MS
        ? 2000
        : false,
  });
  const waiting = returned === "done" && account?.plan === "free";
  const go = (promise: Promise<{ url: string }>) =>
    promise.then(({ url }) => {
      window.location.assign(url);
    });
  const checkout = useMutation({
    mutationFn: (plan: PaidPlanId) => go(trpc.billing.checkout.mutate({ plan })),
  });
  const portal = useMutation({ mutationFn: () => go(trpc.billing.portal.mutate()) });
  const selfServe = billing.data?.selfServe ?? false;
  const subscribed = account?.billing.subscribed ?? false;

  return (
    <Card
      title="Plans"
      labelledBy="plans-title"
      actions={
        selfServe && billing.data?.customer ? (
          <button
            type="button"
            className="button small"
            disabled={portal.isPending}
            onClick={() => portal.mutate()}
          >
            Manage billing
          </button>
        ) : null
      }
    >
      <ErrorNote error={billing.error ?? checkout.error ?? portal.error} />
      {returned === "done" ? (
        <div className="note success" role="status" data-testid="checkout-returned">
          {waiting
            ? "Payment sent to Stripe. Your plan changes here as soon as Stripe confirms it."
            : `Stripe confirmed it: you are on ${PLANS[account?.plan ?? "free"].name}.`}{" "}
          <button
            type="button"
            className="button small"
            onClick={() => navigate("/usage", { replace: true })}
          >
            Dismiss
          </button>
        </div>
      ) : returned === "canceled" ? (
        <p className="note" role="status">
          Checkout canceled: nothing was charged and your plan is unchanged.
        </p>
      ) : null}
      <BillingStatus account={account} />
      <p className="muted">
        Unused credits roll over.{" "}
        {billing.data
          ? selfServe
            ? subscribed
              ? "Change your card, see invoices or cancel in Manage billing."
              : "Starter and Pro are paid monthly by card through Stripe; credits arrive when each month is paid."
            : "To change plan, ask the operator of this engine."
          : null}
      </p>
      <div className="grid">
        {Object.values(PLANS).map((plan) => (
          <PlanCard
            key={plan.id}
            plan={plan}
            current={plan.id === account?.plan}
            action={
              selfServe && !subscribed && account?.plan === "free" && isPaid(plan.id) ? (
                <button
                  type="button"
                  className="button primary"
                  disabled={checkout.isPending}
                  onClick={() => checkout.mutate(plan.id as PaidPlanId)}
                >
                  Upgrade to {plan.name}
                </button>
              ) : plan.id === "enterprise" && billing.data?.enterpriseContact ? (
                <p className="small" data-testid="enterprise-contact">
                  Contact {billing.data.enterpriseContact}
                </p>
              ) : null
            }
          />
        ))}
      </div>
    </Card>
  );
}

/** Past due, or canceled and running to its period's end: said once, with the date that matters. */
function BillingStatus(props: { account?: Account }) {
  const b = props.account?.billing;
  if (!b) return null;
  if (b.pastDue) {
    return (
      <div className="note error" role="alert" data-testid="past-due">
        <strong>Payment failed.</strong>{" "}
        {props.account?.plan === "free"
          ? "The grace period is over and the account is on Free; pay the open invoice in Manage billing to get your plan back."
          : `Update your card in Manage billing before ${formatDateTime(b.downgradeAt!)}, or the account goes back to Free.`}
      </div>
    );
  }
  if (b.planEndsAt) {
    return (
      <p className="note" role="status" data-testid="plan-ends">
        Canceled: {PLANS[props.account!.plan].name} lasts until {formatDateTime(b.planEndsAt)}, then Free.
      </p>
    );
  }
  return null;
}

function PlanCard(props: { plan: PlanDefinition; current: boolean; action: ReactNode }) {
  const { plan } = props;
  return (
    <div
      className={`card${props.current ? " plan-current" : ""}`}
      aria-current={props.current ? "true" : undefined}
      data-testid={`plan-${plan.id}`}
    >
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h3>{plan.name}</h3>
        {props.current ? <span className="badge accent">Your plan</span> : null}
      </div>
      <div className="stat-value">
        {plan.priceUsdPerMonth !== null
          ? `$${plan.priceUsdPerMonth}`
          : plan.id === "free"
            ? "$0"
            : "Contract"}
        {plan.priceUsdPerMonth !== null ? <span className="small muted"> / month</span> : null}
      </div>
      <ul className="small" style={{ margin: 0, paddingLeft: 18 }}>
        <li>
          {plan.id === "enterprise"
            ? "Credits by contract"
            : `${formatNumber(plan.grant.credits)} credits ${plan.grant.every === "once" ? "once" : "a month"}`}
        </li>
        <li>{formatNumber(plan.limits.requestsPerMinute)} requests a minute per key</li>
        <li>
          {plan.limits.concurrentJobs} job{plan.limits.concurrentJobs === 1 ? "" : "s"} at once
        </li>
        <li>Batches of up to {plan.limits.maxBatchSize}</li>
      </ul>
      {props.action}
    </div>
  );
}

function isPaid(plan: string): plan is PaidPlanId {
  return plan === "starter" || plan === "pro";
}
