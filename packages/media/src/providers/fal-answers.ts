/** The shapes of fal's queue answers: errors, the submit answer, statuses and results. */
import { PermanentGenerationError } from "../generator";
import {
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

// fal's X-Fal-Retryable says whether the same request may succeed later; it outranks the status code.
function isRetryable(answer: FailedAnswer): boolean | undefined {
  const header = answer.headers.get("x-fal-retryable")?.trim().toLowerCase();
  return header === "true" ? true : header === "false" ? false : undefined;
}

export function falFailureRules(apiKey: string): FailureRules {
  return { provider: FAL, secrets: [apiKey], isContentPolicy, isRetryable };
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
