import type { ProviderAccountError } from "@mcpmediaengine/media";

/** How often the same provider's same problem is told again while it lasts. */
const REPEAT_MS = 10 * 60_000;

/**
 * The operator's line when a provider refuses our account (a bad key, a used-up quota, a retired model): one line
 * per provider and problem, told again at most every REPEAT_MS with the count of jobs it hit in between, so a
 * batch of 500 jobs against an empty balance makes one line, not 500.
 */
export class AccountProblemLog {
  private readonly last = new Map<string, { at: number; since: number }>();

  constructor(
    private readonly write: (line: string) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  report(model: string, error: ProviderAccountError): void {
    const key = `${error.provider}:${error.problem}`;
    const seen = this.last.get(key);
    const now = this.now();
    if (seen && now - seen.at < REPEAT_MS) {
      seen.since += 1;
      return;
    }
    const more = seen?.since ? ` (${seen.since} more jobs hit it since the last line)` : "";
    this.last.set(key, { at: now, since: 0 });
    this.write(
      `${error.provider} refuses our account (${error.problem}) on ${model}: ${error.message}. ` +
        `Its jobs go to their fallbacks (MME_MODEL_FALLBACKS) or fail with provider_error until this is fixed${more}.`,
    );
  }
}
