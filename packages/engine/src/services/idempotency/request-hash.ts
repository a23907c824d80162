import { createHash } from "node:crypto";
import { AppError } from "@mcpmediaengine/contract";

/**
 * What makes two requests with one Idempotency-Key "the same request": the operation and its body compared as
 * JSON values, so key order and spacing do not make a different request.
 */
export function requestHash(operation: string, body: unknown): string {
  return createHash("sha256")
    .update(`${operation}\n${JSON.stringify(sortKeys(body))}`)
    .digest("hex");
}

/** A raw request body's JSON value, or the text itself when it is not JSON. */
export function bodyValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}

const KEY = /^[\x21-\x7e]{1,255}$/;

/** An Idempotency-Key is 1 to 255 visible ASCII characters (a UUID is the usual choice). */
export function checkIdempotencyKey(key: string): void {
  if (!KEY.test(key)) {
    throw new AppError("invalid_request", "Idempotency-Key must be 1 to 255 visible ASCII characters.");
  }
}
