import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyWebhook, type WebhookEvent, WebhookVerificationError } from "@mcpmediaengine/sdk/webhooks";

export interface WebhookReceiver {
  /** The URL to give as webhookUrl (or to register as an endpoint). */
  url: string;
  close(): Promise<void>;
}

/**
 * An HTTP server that accepts only deliveries signed with `secret` (or one of `secrets`, while rotating). A verified
 * event is handed to `onEvent` and answered 204; anything else is answered 401 and never reaches `onEvent`.
 * Deliveries are at least once: the same `event.id` may arrive again after a retry, so `onEvent` should be
 * idempotent (keyed on the id).
 */
export async function startWebhookReceiver(options: {
  secret: string | string[];
  onEvent: (event: WebhookEvent) => void | Promise<void>;
  port?: number;
  host?: string;
  onRejected?: (reason: string) => void;
}): Promise<WebhookReceiver> {
  const server = createServer(async (request, response) => {
    if (request.method !== "POST") {
      response.writeHead(405, { allow: "POST" }).end();
      return;
    }
    // Verify the raw bytes: a body parsed and serialised again would no longer match its signature.
    const body = await readBody(request);
    let event: WebhookEvent;
    try {
      event = await verifyWebhook(body, request.headers, options.secret);
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      options.onRejected?.(error.message);
      response.writeHead(401).end();
      return;
    }
    try {
      await options.onEvent(event);
      response.writeHead(204).end();
    } catch {
      // A 5xx makes the engine deliver the event again later.
      response.writeHead(500).end();
    }
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/webhooks/media-engine`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function readBody(request: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
