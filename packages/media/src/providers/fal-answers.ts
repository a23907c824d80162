/** The shapes of fal's queue answers: errors, the submit answer, statuses and results. */
import { PermanentGenerationError, type ProviderAccountProblem } from "../generator";
import {
  accountProblemByStatus,
  type FailedAnswer,
  type FailureRules,
  isRecord,
  joinUrl,
  jsonBody,
  malformed,
  type ProviderResponse,
} from "./http";

export const FAL = "fal";

// Model errors are { detail: [{ loc, msg, type, ... }] }; a flagged prompt or image has type
// content_policy_violation (HTTP 422). Older endpoints put a plain string in detail.
function isContentPolicy(answer: FailedAnswer): boolean {
  const detail = isRecord(answer.json) ? answer.json.detail : undefined;
  if (Array.isArray(detail)) {
    return detail.some((item) => isRecord(item) && item.type === "content_policy_violation");
  }
  return answer.status === 422 && typeof detail === "string" && /content.?policy|nsfw/i.test(detail);
}

// Whether the same request may succeed later, in fal's words; it outranks the status code. fal documents
// X-Fal-Needs-Retry (1 or 0) and has also sent X-Fal-Retryable (true or false): either is read, the first first.
function isRetryable(answer: FailedAnswer): boolean | undefined {
  for (const name of ["x-fal-needs-retry", "x-fal-retryable"]) {
    const value = answer.headers.get(name)?.trim().toLowerCase();
    if (value === "1" || value === "true" || value === "yes") return true;
    if (value === "0" || value === "false" || value === "no") return false;
  }
  return undefined;
}

// A locked account (an exhausted balance) is a 403 like a key without access, told apart by its words.
function accountProblem(answer: FailedAnswer): ProviderAccountProblem | undefined {
  if (answer.status === 403 && /exhausted balance|insufficient (balance|credits?)/i.test(answer.text)) {
    return "credit_exhausted";
  }
  return accountProblemByStatus(answer);
}

/**
 * How to read a failed answer. `submission` is the model's own endpoint, where a 401, 403 or 404 means our key or
 * the endpoint is refused (an account problem); for status, result and file URLs a 404 is only a lost request.
 */
export function falFailureRules(
  apiKey: string,
  call: "submission" | "follow-up" = "follow-up",
): FailureRules {
  return {
    provider: FAL,
    secrets: [apiKey],
    isContentPolicy,
    isRetryable,
    ...(call === "submission" && { accountProblem }),
  };
}

export interface QueuedRequest {
  statusUrl: string;
  responseUrl: string;
  cancelUrl: string;
}

/** Where to follow a submitted request. */
export function queuedRequest(response: ProviderResponse, baseUrl: string, endpoint: string): QueuedRequest {
  const body = jsonBody(response, FAL);
  if (!isRecord(body) || typeof body.request_id !== "string" || body.request_id === "") {
    throw malformed(FAL, "request_id is missing");
  }
  // status and result live under the app id, without the endpoint's subpath: fal-ai/flux-2/turbo → fal-ai/flux-2.
  const app = endpoint.split("/").slice(0, 2).join("/");
  const own = joinUrl(baseUrl, `${app}/requests/${encodeURIComponent(body.request_id)}`);
  return {
    statusUrl: sameOrigin(body.status_url, baseUrl) ?? `${own}/status`,
    responseUrl: sameOrigin(body.response_url, baseUrl) ?? own,
    cancelUrl: sameOrigin(body.cancel_url, baseUrl) ?? `${own}/cancel`,
  };
}

// The key goes only to the queue's own origin: a URL in an answer that points elsewhere is not followed.
function sameOrigin(value: unknown, baseUrl: string): string | undefined {
  if (typeof value !== "string") return undefined;
  try {
    return new URL(value).origin === new URL(baseUrl).origin ? value : undefined;
  } catch {
    return undefined;
  }
}

export function statusOf(response: ProviderResponse): "IN_QUEUE" | "IN_PROGRESS" | "COMPLETED" {
  const body = jsonBody(response, FAL);
  const status = isRecord(body) ? body.status : undefined;
  if (status === "IN_QUEUE" || status === "IN_PROGRESS" || status === "COMPLETED") return status;
  throw malformed(FAL, `unknown queue status ${JSON.stringify(status)}`);
}

/** The URLs of the files a finished request made. */
export function outputUrls(result: unknown, output: "image" | "video"): string[] {
  if (!isRecord(result)) throw malformed(FAL, "the result is not an object");
  // With the safety checker on, a flagged image comes back black and marked here.
  if (Array.isArray(result.has_nsfw_concepts) && result.has_nsfw_concepts.includes(true)) {
    throw new PermanentGenerationError(
      "content_policy",
      `${FAL} refused the prompt on content policy: the safety checker flagged the output`,
    );
  }
  const urls = outputItems(result, output).map((item) => (isRecord(item) ? item.url : undefined));
  if (urls.length === 0 || !urls.every((url): url is string => typeof url === "string" && url !== "")) {
    throw malformed(FAL, output === "video" ? "video.url is missing" : "images[].url is missing");
  }
  return urls;
}

function outputItems(result: Record<string, unknown>, output: "image" | "video"): unknown[] {
  if (output === "video") return [result.video];
  if (Array.isArray(result.images)) return result.images;
  // Some image endpoints answer a single { image } rather than { images: [...] }.
  return result.image === undefined ? [] : [result.image];
}
