import type { ProviderAccountProblem } from "../generator";
import { accountProblemByStatus, type FailedAnswer, type FailureRules, isRecord } from "./http";

export const OPENAI = "OpenAI";
export const OPENAI_BASE_URL = "https://api.openai.com";

/**
 * The API root to put `/v1/...` paths under. The official SDKs' OPENAI_BASE_URL conventionally ends in `/v1`
 * (`https://api.openai.com/v1`); ours may be given either way, so a trailing `/v1` is taken off rather than doubled.
 */
export function openAiRoot(baseUrl: string | undefined): string {
  return (baseUrl ?? OPENAI_BASE_URL).replace(/\/+$/, "").replace(/\/v1$/, "");
}

// error.code of a 429 that retrying does not help: the account's quota or spend limit is used up (OpenAI's docs
// on error codes: "You exceeded your current quota").
const NO_RETRY_CODES = new Set(["insufficient_quota", "billing_hard_limit_reached", "billing_not_active"]);

// error.code of a refusal: gpt-image models say moderation_blocked, DALL·E says content_policy_violation.
const CONTENT_POLICY_CODES = new Set(["moderation_blocked", "content_policy_violation"]);

function isContentPolicy(answer: FailedAnswer): boolean {
  const error = isRecord(answer.json) ? answer.json.error : undefined;
  return isRecord(error) && typeof error.code === "string" && CONTENT_POLICY_CODES.has(error.code);
}

/**
 * OpenAI's own say on retrying: its `x-should-retry` header when present (the official SDKs honour it first);
 * a used-up quota or spend limit is never worth retrying, whatever its status.
 */
function isRetryable(answer: FailedAnswer): boolean | undefined {
  const error = isRecord(answer.json) ? answer.json.error : undefined;
  if (isRecord(error) && typeof error.code === "string" && NO_RETRY_CODES.has(error.code)) return false;
  const header = answer.headers.get("x-should-retry");
  if (header === "true") return true;
  if (header === "false") return false;
  return undefined;
}

// A used-up quota comes as 429 like a rate limit, told apart by its code; the rest by status (401 a bad key, 403
// a region or organisation refused, 404 a model this key cannot use).
function accountProblem(answer: FailedAnswer): ProviderAccountProblem | undefined {
  const error = isRecord(answer.json) ? answer.json.error : undefined;
  if (isRecord(error) && typeof error.code === "string" && NO_RETRY_CODES.has(error.code)) {
    return "credit_exhausted";
  }
  return accountProblemByStatus(answer);
}

export function openAiFailureRules(apiKey: string): FailureRules {
  return { provider: OPENAI, secrets: [apiKey], isContentPolicy, isRetryable, accountProblem };
}
