import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
  /** The event, if the standardwebhooks package verified the delivery with one of the receiver's secrets. */
  verified: unknown;
}

export type Behaviour = (
  request: Received,
  count: number,
) => { status: number; headers?: Record<string, string>; delayMs?: number; hang?: boolean };

/**
 * A real webhook receiver: it records every request and verifies each with the standardwebhooks npm package (not
 * our code). Each path answers as its behaviour says (by default 200).
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  secrets: string[] = [];
  private readonly behaviours = new Map<string, Behaviour>();
  private server?: Server;
  url = "";

  on(path: string, behaviour: Behaviour): this {
    this.behaviours.set(path, behaviour);
    return this;
  }

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const path = req.url ?? "/";
        let verified: unknown = null;
        for (const secret of this.secrets) {
          try {
            verified = new Webhook(secret).verify(body, req.headers as Record<string, string>);
            break;
          } catch {}
        }
        const received = { path, headers: req.headers, body, at: Date.now(), verified };
        this.received.push(received);
        const count = this.received.filter((r) => r.path === path).length;
        const answer = this.behaviours.get(path)?.(received, count) ?? { status: 200 };
        if (answer.hang) return;
        setTimeout(() => {
          res.writeHead(answer.status, answer.headers);
          res.end(`answer ${answer.status}`);
        }, answer.delayMs ?? 0);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  async waitFor(path: string, count: number, timeoutMs = 20_000): Promise<Received[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.at(path).length < count) {
      if (Date.now() > deadline) {
        throw new Error(`${path} received ${this.at(path).length} of ${count} deliveries`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.at(path);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
