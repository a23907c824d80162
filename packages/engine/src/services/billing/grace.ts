import type { EngineContext } from "../../context";
import { lockLapsedAccounts, recordBillingChange, setPlan } from "../../repositories/billing";

/**
 * Past-due accounts whose grace period has run out go back to Free (their credits stay). The change names the
 * invoice.payment_failed event that began it. Paying later (invoice.paid, the subscription active again) brings
 * the plan back. Returns how many accounts went back to Free.
 */
export async function expireGracePeriods(args: { ctx: EngineContext; now?: Date }): Promise<number> {
  const now = args.now ?? new Date();
  const count = await args.ctx.db.transaction().execute(async (trx) => {
    const lapsed = await lockLapsedAccounts(trx, now);
    for (const account of lapsed) {
      await setPlan(trx, account.id, "free");
      await recordBillingChange(trx, {
        accountId: account.id,
        eventId: account.past_due_event_id ?? "unknown",
        change: "grace_expired",
        before: account.plan,
        after: "free",
      });
    }
    return lapsed.length;
  });
  if (count > 0) args.ctx.keyCache.clear();
  return count;
}
