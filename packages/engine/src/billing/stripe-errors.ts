import { AppError } from "@mcpmediaengine/contract";
import Stripe from "stripe";

/**
 * A call to Stripe, its failures as our codes: Stripe unreachable or failing is 502 payment_provider_error (the
 * caller may try again); a refusal of what we sent is our bug or the operator's settings (a price that does not
 * exist), reported the same way with Stripe's message, never its key.
 */
export async function callStripe<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) {
      throw new AppError("payment_provider_error", `Stripe could not ${what}: ${error.message}`, {
        type: error.type,
        code: error.code,
        requestId: error.requestId,
      });
    }
    throw error;
  }
}

/** Stripe answered 404 for the object: it does not exist (in this Stripe account or mode). */
export function isMissing(error: unknown): boolean {
  return error instanceof Stripe.errors.StripeError && error.statusCode === 404;
}
