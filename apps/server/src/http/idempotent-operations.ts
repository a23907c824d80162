import { appRouter } from "../trpc/router";

/**
 * The operations that honour `Idempotency-Key`: a retry with the same key and request gets the first answer again
 * (`Idempotent-Replayed: true`), the same key with another request is 409 `idempotency_conflict`. The OpenAPI
 * document, the middleware and the SDK follow this list.
 */
export const IDEMPOTENT_PROCEDURES: readonly string[] = [
  "jobs.create",
  "batches.create",
  "jobs.cancel",
  "batches.cancel",
  "webhooks.createEndpoint",
  "webhooks.rotateSecret",
  "webhooks.replayEndpoint",
  "webhooks.redeliver",
];

// Their services claim the key in the statement that writes the job or batch (see submitJob and submitBatch),
// which a middleware cannot do; the middleware serves the others.
const CLAIMED_BY_SERVICE = new Set(["jobs.create", "batches.create"]);

type Procedures = Record<string, { _def: { meta?: { openapi?: { method: string; path: string } } } }>;

/** The REST routes (method and a pattern of the path under /v1) the idempotency middleware serves. */
export const IDEMPOTENT_ROUTES: readonly { method: string; pattern: RegExp }[] = IDEMPOTENT_PROCEDURES.filter(
  (p) => !CLAIMED_BY_SERVICE.has(p),
).map((procedure) => {
  const openapi = (appRouter._def.procedures as unknown as Procedures)[procedure]?._def.meta?.openapi;
  if (!openapi) throw new Error(`${procedure} is not a REST operation`);
  const path = openapi.path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+");
  return { method: openapi.method, pattern: new RegExp(`^/v1${path}$`) };
});
