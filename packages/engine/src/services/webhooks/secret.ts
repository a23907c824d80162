import { newWebhookSecret, type WebhookSecret } from "@mcpmediaengine/contract";
import type { Database } from "@mcpmediaengine/db";
import type { Kysely } from "kysely";
import type { Caller, EngineContext } from "../../context";
import { accountWebhookSecret, rotateAccountWebhookSecret } from "../../repositories/webhooks";

/** The secrets that sign deliveries to jobs' own webhookUrl: the current one, and a rotated-out one in its grace. */
export async function accountSecret(db: Kysely<Database>, accountId: string): Promise<string[]> {
  const row = await db
    .selectFrom("accounts")
    .select(["webhook_secret", "webhook_previous_secret", "webhook_previous_secret_expires_at"])
    .where("id", "=", accountId)
    .executeTakeFirstOrThrow();
  const current =
    row.webhook_secret ?? (await accountWebhookSecret(db, accountId, newWebhookSecret())).webhook_secret!;
  const previous =
    row.webhook_previous_secret &&
    row.webhook_previous_secret_expires_at &&
    row.webhook_previous_secret_expires_at > new Date()
      ? [row.webhook_previous_secret]
      : [];
  return [current, ...previous];
}

export async function getWebhookSecret(args: { ctx: EngineContext; caller: Caller }): Promise<WebhookSecret> {
  const row = await accountWebhookSecret(args.ctx.db, args.caller.accountId, newWebhookSecret());
  const expires = row.webhook_previous_secret_expires_at;
  return {
    secret: row.webhook_secret!,
    previousSecretExpiresAt: expires && expires > new Date() ? expires.toISOString() : null,
  };
}

/** A new default secret; the replaced one keeps signing beside it for the grace period (24 hours). */
export async function rotateWebhookSecret(args: {
  ctx: EngineContext;
  caller: Caller;
}): Promise<WebhookSecret> {
  const { ctx, caller } = args;
  await rotateAccountWebhookSecret(ctx.db, caller.accountId, newWebhookSecret(), ctx.webhooks.secretGraceMs);
  return getWebhookSecret(args);
}
