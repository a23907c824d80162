-- Paying for a plan through Stripe (issue 22). Stripe's subscription decides the plan of an account that has one;
-- each invoice period's credits are granted when its invoice is paid.
alter table accounts
  -- The account's Stripe customer, created once and remembered.
  add column stripe_customer_id text unique,
  -- The subscription whose state the plan follows; null once it has ended.
  add column stripe_subscription_id text,
  -- When a renewal failed (invoice.payment_failed); null while paid up.
  add column past_due_since timestamptz,
  -- The invoice.payment_failed event that made it past due (named by the downgrade if the grace period runs out).
  add column past_due_event_id text,
  -- A past-due account goes back to Free at this time unless it pays first (past_due_since + the grace period).
  add column downgrade_at timestamptz,
  -- The subscription is canceled at its period's end: the plan stays until then.
  add column plan_ends_at timestamptz;

create index accounts_downgrade_at on accounts (downgrade_at) where downgrade_at is not null;

-- The Stripe event a grant was made for (the invoice.paid that paid its period).
alter table credit_ledger add column stripe_event_id text;

-- Every Stripe event applied, kept once: a replayed or duplicate event id finds its row and does nothing.
create table stripe_events (
  id text primary key,
  type text not null,
  account_id text references accounts (id),
  -- Stripe's time of the event.
  created_at timestamptz not null,
  received_at timestamptz not null default now()
);

-- Every change Stripe made to an account (plan, past due, cancellation), beside the event that made it. A downgrade
-- at the end of a grace period names the invoice.payment_failed that began it.
create table billing_changes (
  id bigint generated always as identity primary key,
  account_id text not null references accounts (id),
  stripe_event_id text not null,
  change text not null check (change in ('plan', 'past_due', 'paid_up', 'cancel_at_period_end', 'cancel_undone',
    'grace_expired')),
  plan_before text not null,
  plan_after text not null,
  created_at timestamptz not null default now()
);

create index billing_changes_account on billing_changes (account_id, id);
