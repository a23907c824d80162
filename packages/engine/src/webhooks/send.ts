import http from "node:http";
import https from "node:https";
import type { WebhookTarget } from "./address-guard";

export interface SendResult {
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  /** The first 1 kB of the answer. */
  responseBody: string | null;
  /** Retry-After of a 429 or 503, in milliseconds. */
  retryAfterMs: number | null;
}

const KEEP = 1024;

/**
 * One POST to a resolved target, connecting to the checked address (TLS still verifies the host name). Redirects
 * are not followed: a 3xx is an answer like any other non-2xx. Never throws: a failure is in `error`.
 */
export function sendWebhook(
  target: WebhookTarget,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: Omit<SendResult, "latencyMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, latencyMs: elapsed() });
    };
    const client = target.url.protocol === "https:" ? https : http;
    const request = client.request(target.url, {
      method: "POST",
      headers: {
        ...headers,
        "content-type": "application/json",
        "content-length": String(Buffer.byteLength(body)),
        "user-agent": "mcp-media-engine-webhooks/1",
      },
      agent: false,
      lookup: (_host, options, callback) => {
        if ((options as { all?: boolean }).all) {
          (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [
            { address: target.address, family: target.family },
          ]);
        } else callback(null, target.address, target.family);
      },
    });
    const timer = setTimeout(() => {
      request.destroy();
      finish({
        statusCode: null,
        error: `no answer within ${timeoutMs / 1000} s`,
        responseBody: null,
        retryAfterMs: null,
      });
    }, timeoutMs);
    request.on("error", (error) =>
      finish({ statusCode: null, error: error.message, responseBody: null, retryAfterMs: null }),
    );
    request.on("response", (response) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      response.on("data", (chunk: Buffer) => {
        if (kept < KEEP) {
          chunks.push(chunk);
          kept += chunk.length;
        }
      });
      const done = () =>
        finish({
          statusCode: response.statusCode ?? null,
          error: null,
          responseBody: Buffer.concat(chunks).subarray(0, KEEP).toString("utf8"),
          retryAfterMs: retryAfter(response.headers["retry-after"]),
        });
      response.on("end", done);
      response.on("error", done);
    });
    request.end(body);
  });
}

/** Retry-After as seconds or an HTTP date, in milliseconds from now. */
function retryAfter(value: string | undefined): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}
