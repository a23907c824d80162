import { createServer, type Server } from "node:http";
import { Webhook } from "standardwebhooks";

const TERMINAL = new Set(["job.completed", "job.failed", "job.canceled"]);

/** What the receiver knows of one job's events, deduplicated by webhook-id. */
export interface JobEvents {
  /** Distinct event ids of terminal type, each with its type. */
  terminal: Map<string, string>;
}

/**
 * The customer's webhook endpoint: every delivery is verified with the `standardwebhooks` package (not our code)
 * and answered 204, or 401 when its signature does not verify. Deliveries are deduplicated by webhook-id, as the
 * Standard Webhooks scheme asks of a receiver. It can be taken down (it stops listening: connections are
 * refused) and brought back on the same port.
 */
export class WebhookReceiver {
  private server: Server | undefined;
  private verifier: Webhook | undefined;
  readonly jobs = new Map<string, JobEvents>();
  /** Deliveries received in all, repeats included. */
  deliveries = 0;
  unverified = 0;

  constructor(readonly port: number) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  /** The account's signing secret (whsec_…), once the engine has given it. */
  set secret(secret: string) {
    this.verifier = new Webhook(secret);
  }

  async up(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        this.deliveries++;
        const body = Buffer.concat(chunks).toString("utf8");
        let event: { id?: string; type?: string; data?: { job?: { jobId?: string } } };
        try {
          if (!this.verifier) throw new Error("no secret yet");
          event = this.verifier.verify(body, req.headers as Record<string, string>) as typeof event;
        } catch {
          this.unverified++;
          res.writeHead(401).end();
          return;
        }
        const jobId = event.data?.job?.jobId;
        const eventId = req.headers["webhook-id"];
        if (jobId && typeof eventId === "string" && event.type && TERMINAL.has(event.type)) {
          const seen = this.jobs.get(jobId) ?? { terminal: new Map() };
          seen.terminal.set(eventId, event.type);
          this.jobs.set(jobId, seen);
        }
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.server = server;
  }

  /** Stops listening and drops open connections; deliveries now meet a refused connection. */
  async down(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
