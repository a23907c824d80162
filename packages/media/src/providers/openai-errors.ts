import { type FailedAnswer, type FailureRules, isRecord } from "./http";

export const OPENAI = "OpenAI";
export const OPENAI_BASE_URL = "https://api.openai.com";

// error.code of a refusal: gpt-image models say moderation_blocked, DALL·E says content_policy_violation.
const CONTENT_POLICY_CODES = new Set(["moderation_blocked", "content_policy_violation"]);

function isContentPolicy(answer: FailedAnswer): boolean {
  const error = isRecord(answer.json) ? answer.json.error : undefined;
  return isRecord(error) && typeof error.code === "string" && CONTENT_POLICY_CODES.has(error.code);
}

export function openAiFailureRules(apiKey: string): FailureRules {
  return { provider: OPENAI, secrets: [apiKey], isContentPolicy };
}
