/** Svix's schedule: at once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h after each failure. */
export const DEFAULT_RETRY_SCHEDULE_MS = [0, 5, 300, 1800, 7200, 18_000, 36_000, 36_000].map((s) => s * 1000);

const MAX_RETRY_AFTER_MS = 10 * 3600_000;

/**
 * When to try again after the given number of attempts failed, or null when the schedule is spent. Each wait gets
 * up to 10% of jitter so a receiver that comes back is not hit by every waiting delivery at the same moment; a
 * Retry-After the receiver sent with 429 or 503 is honoured, up to 10 hours (the longest wait of Svix's schedule).
 */
export function nextDelayMs(
  schedule: number[],
  attemptsMade: number,
  retryAfterMs: number | null,
  random: () => number = Math.random,
): number | null {
  if (attemptsMade >= schedule.length) return null;
  const planned = schedule[attemptsMade]!;
  const jittered = planned + Math.round(planned * 0.1 * random());
  if (retryAfterMs === null) return jittered;
  return Math.max(jittered, Math.min(retryAfterMs, MAX_RETRY_AFTER_MS));
}
