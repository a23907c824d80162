import http from "node:http";
import https from "node:https";
import { AppError, UPLOAD_LIMITS } from "@mcpmediaengine/contract";
import { resolveWebhookTarget } from "../../webhooks/address-guard";

/** How long fetching an image URL may take, connection to last byte. */
export const IMAGE_FETCH_TIMEOUT_MS = 15_000;

const refused = (url: string, why: string) =>
  new AppError("invalid_request", `The image URL ${url.slice(0, 200)} is refused: ${why}.`, { url });

/**
 * Fetches an image URL once, through the webhooks' address guard (only public unicast addresses, the checked
 * address connected to, so a second DNS answer cannot point elsewhere), https only (http too when private
 * targets are allowed, for local development), no redirects, at most 20 MB and 15 s. A URL that cannot be
 * fetched is the caller's to fix: 400 `invalid_request` saying why; a file too large is 413.
 */
export async function fetchImage(
  raw: string,
  allowPrivate: boolean,
  timeoutMs = IMAGE_FETCH_TIMEOUT_MS,
): Promise<Buffer> {
  const target = await resolveWebhookTarget(raw, allowPrivate, refused);
  if (target.url.protocol !== "https:" && !allowPrivate) throw refused(raw, "only https URLs are fetched");
  const client = target.url.protocol === "https:" ? https : http;
  return new Promise<Buffer>((resolve, reject) => {
    let settled = false;
    const finish = (error: AppError | undefined, data?: Buffer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      if (error) reject(error);
      else resolve(data!);
    };
    const request = client.get(target.url, {
      headers: { accept: "image/png, image/jpeg, image/webp", "user-agent": "mcp-media-engine-uploads/1" },
      agent: false,
      lookup: (_host, options, callback) => {
        if ((options as { all?: boolean }).all) {
          (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [
            { address: target.address, family: target.family },
          ]);
        } else callback(null, target.address, target.family);
      },
    });
    const timer = setTimeout(
      () => finish(refused(raw, `it did not answer in full within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    request.on("error", (error) => finish(refused(raw, `fetching it failed (${error.message})`)));
    request.on("response", (response) => {
      const status = response.statusCode ?? 0;
      if (status !== 200) return finish(refused(raw, `it answered HTTP ${status}, not 200`));
      const declared = Number(response.headers["content-length"] ?? Number.NaN);
      if (declared > UPLOAD_LIMITS.maxBytes) return finish(tooLarge());
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > UPLOAD_LIMITS.maxBytes) return finish(tooLarge());
        chunks.push(chunk);
      });
      response.on("end", () => finish(undefined, Buffer.concat(chunks)));
      response.on("error", (error) => finish(refused(raw, `reading it failed (${error.message})`)));
    });
  });
}

export function tooLarge(): AppError {
  return new AppError(
    "payload_too_large",
    `An image may be at most ${UPLOAD_LIMITS.maxBytes / 1024 / 1024} MB.`,
    { maxBytes: UPLOAD_LIMITS.maxBytes },
  );
}
