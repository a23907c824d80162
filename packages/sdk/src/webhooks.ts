import { verifyWebhookSignature, WebhookEvent, WebhookVerificationError } from "@mcpmediaengine/contract";

export type {
  BatchWebhookEvent,
  JobWebhookEvent,
  WebhookEvent,
  WebhookHeaders,
} from "@mcpmediaengine/contract";
export { WebhookVerificationError };

/**
 * Checks a webhook delivery by the Standard Webhooks scheme (the same code the engine signs with) and returns its
 * event, parsed with the contract's schema. Pass the raw body exactly as received, the request's headers, and your
 * secret (or several, while rotating). Throws WebhookVerificationError for a bad signature, a timestamp more than
 * `toleranceSeconds` (default 300) from now either way, or a body that is not an event.
 */
export async function verifyWebhook(
  rawBody: string | Uint8Array,
  headers: Headers | Record<string, string | string[] | undefined>,
  secret: string | string[],
  options: { toleranceSeconds?: number } = {},
): Promise<WebhookEvent> {
  const body = await verifyWebhookSignature(rawBody, headers, secret, options);
  const parsed = WebhookEvent.safeParse(body);
  if (!parsed.success) throw new WebhookVerificationError("The signed body is not a webhook event.");
  return parsed.data;
}
