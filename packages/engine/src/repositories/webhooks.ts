import type { Database, WebhookDeliveryRow, WebhookEndpointRow } from "@mcpmediaengine/db";
import { type Kysely, sql } from "kysely";
import type { TraceCarrier } from "../observe/trace";
import { TASKS } from "../queue/tasks";

type Db = Kysely<Database>;

/**
 * The graphile-worker call that carries a delivery out at `runAt` (now when null). The key is the delivery id;
 * the payload carries the trace context of what caused the delivery, when tracing is on.
 */
function addDeliveryJob(deliveryId: unknown, runAt: unknown, trace?: TraceCarrier) {
  return sql`graphile_worker.add_job(${TASKS.webhook}::text,
      json_strip_nulls(json_build_object('deliveryId', ${deliveryId}::text,
        'traceparent', ${trace?.traceparent ?? null}::text, 'tracestate', ${trace?.tracestate ?? null}::text)),
      run_at => coalesce(${runAt}::timestamptz, now()), max_attempts => 10, job_key => ${deliveryId}::text)`;
}

/** A new endpoint's row, as createEndpoint fills it. */
export interface NewEndpoint {
  id: string;
  accountId: string;
  url: string;
  events: string[] | null;
  description: string;
  secret: string;
}

/**
 * Writes the endpoint if the account has fewer than `max`; undefined (and nothing written) when it has that many.
 * A count and an insert alone would let concurrent creates all see room: an advisory lock per account (its own
 * seed, apart from the worker's claim lock) makes count and insert one step per account.
 */
export async function insertEndpointWithinLimit(
  db: Db,
  endpoint: NewEndpoint,
  max: number,
): Promise<WebhookEndpointRow | undefined> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtextextended(${endpoint.accountId}, 20261502))`.execute(trx);
    const count = await trx
      .selectFrom("webhook_endpoints")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .where("account_id", "=", endpoint.accountId)
      .executeTakeFirstOrThrow();
    if (Number(count.n) >= max) return undefined;
    return trx
      .insertInto("webhook_endpoints")
      .values({
        id: endpoint.id,
        account_id: endpoint.accountId,
        url: endpoint.url,
        events: endpoint.events,
        description: endpoint.description,
        secret: endpoint.secret,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

export interface NewDelivery {
  id: string;
  endpointId: string | null;
  url: string;
}

/** The endpoints of the account that receive this type of event. */
export async function subscribedEndpoints(db: Db, accountId: string, type: string) {
  return db
    .selectFrom("webhook_endpoints")
    .select(["id", "url"])
    .where("account_id", "=", accountId)
    .where("disabled_at", "is", null)
    .where((eb) => eb.or([eb("events", "is", null), eb(sql<string>`${type}`, "=", eb.fn.any("events"))]))
    .execute();
}

/** An event, its deliveries and their queue entries, in one statement (inside the caller's transaction). */
export async function insertEvent(
  db: Db,
  event: {
    id: string;
    accountId: string;
    type: string;
    jobId: string | null;
    batchId?: string;
    body: string;
  },
  deliveries: NewDelivery[],
  trace?: TraceCarrier,
): Promise<void> {
  await sql`
    with event as (
      insert into webhook_events (id, account_id, type, job_id, batch_id, body)
      values (${event.id}, ${event.accountId}, ${event.type}, ${event.jobId}, ${event.batchId ?? null}, ${event.body})
    ), delivery as (
      insert into webhook_deliveries (id, event_id, account_id, endpoint_id, job_id, url)
      select d.id, ${event.id}, ${event.accountId}, d.endpoint_id, ${event.jobId}, d.url
      from unnest(${deliveries.map((d) => d.id)}::text[], ${deliveries.map((d) => d.endpointId)}::text[],
        ${deliveries.map((d) => d.url)}::text[]) as d (id, endpoint_id, url)
      returning id
    )
    select ${addDeliveryJob(sql`delivery.id`, null, trace)} from delivery`.execute(db);
}

/** A delivery with what sending it needs: the event's body and the secrets that sign it. */
export async function findDeliveryToSend(db: Db, deliveryId: string) {
  return db
    .selectFrom("webhook_deliveries as d")
    .innerJoin("webhook_events as e", "e.id", "d.event_id")
    .innerJoin("accounts as a", "a.id", "d.account_id")
    .leftJoin("webhook_endpoints as w", "w.id", "d.endpoint_id")
    .select([
      "d.id",
      "d.account_id",
      "d.endpoint_id",
      "d.url",
      "d.status",
      "d.attempt_count",
      "d.round_start",
      "e.id as event_id",
      "e.body",
      "w.id as live_endpoint_id",
      "w.disabled_at",
      sql<string[]>`case when d.endpoint_id is null
        then array_remove(array[a.webhook_secret, case when a.webhook_previous_secret_expires_at > now()
          then a.webhook_previous_secret end], null)
        else array_remove(array[w.secret, case when w.previous_secret_expires_at > now()
          then w.previous_secret end], null) end`.as("secrets"),
    ])
    .where("d.id", "=", deliveryId)
    .executeTakeFirst();
}

export interface AttemptRecord {
  attemptedAt: Date;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  responseBody: string | null;
}

/**
 * Records an attempt and where the delivery goes next: `retryAt` queues the next attempt (in the same statement),
 * otherwise the delivery ends as `final`. The endpoint's failing streak starts or ends with it.
 */
export async function recordAttempt(
  db: Db,
  delivery: { id: string; endpointId: string | null; attempt: number; trace?: TraceCarrier },
  attempt: AttemptRecord,
  outcome: { status: "succeeded" | "failed" } | { status: "pending"; retryAt: Date },
): Promise<void> {
  const retryAt = outcome.status === "pending" ? outcome.retryAt : null;
  await db.transaction().execute(async (trx) => {
    // The endpoint's row first: deleting an endpoint locks it before its deliveries, so this order cannot deadlock.
    if (delivery.endpointId) {
      await sql`update webhook_endpoints set failing_since = ${
        outcome.status === "succeeded" ? null : sql`coalesce(failing_since, now())`
      } where id = ${delivery.endpointId}`.execute(trx);
    }
    await trx
      .insertInto("webhook_attempts")
      .values({
        delivery_id: delivery.id,
        attempt: delivery.attempt,
        attempted_at: attempt.attemptedAt,
        status_code: attempt.statusCode,
        latency_ms: attempt.latencyMs,
        error: attempt.error,
        response_body: attempt.responseBody,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
    await sql`
      update webhook_deliveries set status = ${outcome.status}, attempt_count = ${delivery.attempt},
        next_attempt_at = ${retryAt}, updated_at = now()
      where id = ${delivery.id}`.execute(trx);
    if (retryAt) await sql`select ${addDeliveryJob(delivery.id, retryAt, delivery.trace)}`.execute(trx);
  });
}

/** Ends a delivery without an attempt (its endpoint was deleted or disabled). */
export async function abandonDelivery(db: Db, deliveryId: string): Promise<void> {
  await sql`update webhook_deliveries set status = 'failed', next_attempt_at = null, updated_at = now()
    where id = ${deliveryId}`.execute(db);
}

/** Disables an endpoint; its pending deliveries end when they next come up. */
export async function disableEndpoint(db: Db, endpointId: string, reason: string): Promise<void> {
  await sql`update webhook_endpoints set disabled_at = now(), disabled_reason = ${reason}, updated_at = now()
    where id = ${endpointId} and disabled_at is null`.execute(db);
}

/** Disables the endpoint if it has failed for longer than `afterMs`. */
export async function disableIfFailingSince(db: Db, endpointId: string, afterMs: number): Promise<boolean> {
  const result = await sql`update webhook_endpoints
    set disabled_at = now(), disabled_reason = 'every delivery failed since ' || to_char(failing_since at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
      updated_at = now()
    where id = ${endpointId} and disabled_at is null
      and failing_since < now() - ${afterMs} * interval '1 millisecond'`.execute(db);
  return Number(result.numAffectedRows ?? 0) > 0;
}

/** Queues ended deliveries again, at once, keeping their event (and so their webhook-id). */
export async function requeueDeliveries(db: Db, accountId: string, deliveryIds: string[]): Promise<number> {
  if (deliveryIds.length === 0) return 0;
  const result = await sql<{ id: string }>`
    with again as (
      update webhook_deliveries
      set status = 'pending', next_attempt_at = now(), round_start = attempt_count, updated_at = now()
      where account_id = ${accountId} and id = any(${deliveryIds}::text[])
      returning id
    )
    select ${addDeliveryJob(sql`again.id`, null)}, again.id from again`.execute(db);
  return result.rows.length;
}

export async function failedDeliveriesOf(
  db: Db,
  accountId: string,
  endpointId: string,
  since: Date,
  until: Date,
): Promise<string[]> {
  const rows = await db
    .selectFrom("webhook_deliveries")
    .select("id")
    .where("account_id", "=", accountId)
    .where("endpoint_id", "=", endpointId)
    .where("status", "=", "failed")
    .where("created_at", ">=", since)
    .where("created_at", "<", until)
    .execute();
  return rows.map((r) => r.id);
}

export interface DeliveryFilter {
  accountId: string;
  jobId?: string;
  endpointId?: string;
  status?: "pending" | "succeeded" | "failed";
  deliveryId?: string;
  before?: string;
  limit: number;
}

export async function listDeliveries(db: Db, f: DeliveryFilter) {
  let query = db
    .selectFrom("webhook_deliveries as d")
    .innerJoin("webhook_events as e", "e.id", "d.event_id")
    .selectAll("d")
    .select("e.type as event_type")
    .where("d.account_id", "=", f.accountId);
  if (f.deliveryId) query = query.where("d.id", "=", f.deliveryId);
  if (f.jobId) query = query.where("d.job_id", "=", f.jobId);
  if (f.endpointId) query = query.where("d.endpoint_id", "=", f.endpointId);
  if (f.status) query = query.where("d.status", "=", f.status);
  if (f.before) query = query.where("d.id", "<", f.before);
  return query.orderBy("d.id", "desc").limit(f.limit).execute();
}
export type DeliveryListRow = WebhookDeliveryRow & { event_type: string };

export async function attemptsOf(db: Db, deliveryIds: string[]) {
  if (deliveryIds.length === 0) return [];
  return db
    .selectFrom("webhook_attempts")
    .selectAll()
    .where("delivery_id", "in", deliveryIds)
    .orderBy("attempt")
    .execute();
}

/** The account's default secret, made on first use. */
export async function accountWebhookSecret(db: Db, accountId: string, fresh: string) {
  await sql`update accounts set webhook_secret = ${fresh} where id = ${accountId} and webhook_secret is null`.execute(
    db,
  );
  return db
    .selectFrom("accounts")
    .select(["webhook_secret", "webhook_previous_secret_expires_at"])
    .where("id", "=", accountId)
    .executeTakeFirstOrThrow();
}

/** Replaces the account's default secret; the old one keeps signing for `graceMs`. */
export async function rotateAccountWebhookSecret(db: Db, accountId: string, fresh: string, graceMs: number) {
  await sql`update accounts set webhook_previous_secret = webhook_secret,
      webhook_previous_secret_expires_at = case when webhook_secret is null then null
        else now() + ${graceMs} * interval '1 millisecond' end,
      webhook_secret = ${fresh}
    where id = ${accountId}`.execute(db);
}
