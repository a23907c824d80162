import { AppError } from "@mcpmediaengine/contract";
import type { EngineContext } from "../../context";
import { deleteExpiredKey, findKey } from "../../repositories/idempotency-keys";

/**
 * What an Idempotency-Key claimed in the statement that wrote a job or a batch made, for a retry of that very
 * request: the job's or batch's id, or undefined when the key is gone (a key past its 24 hours is deleted here,
 * so the retry runs anew). The key with another request, or one that made something else, is 409.
 */
export async function madeByKey(
  ctx: EngineContext,
  accountId: string,
  idempotency: { key: string; requestHash: string },
  made: "job_id" | "batch_id",
): Promise<string | undefined> {
  const found = await findKey(ctx.db, accountId, idempotency.key);
  if (!found) return undefined;
  if (found.expired) {
    await deleteExpiredKey(ctx.db, accountId, idempotency.key);
    return undefined;
  }
  const id = found[made];
  if (found.request_hash !== idempotency.requestHash || id === null) {
    throw new AppError(
      "idempotency_conflict",
      "This Idempotency-Key was used with a different request in the last 24 hours. Use a new key.",
    );
  }
  return id;
}
