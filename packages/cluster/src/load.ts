import { randomUUID } from "node:crypto";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

const FINAL = new Set(["completed", "failed", "canceled"]);
/** How long, once the load stops, its jobs may take to end. */
const FINISH_MS = 120_000;

export interface RestFigures {
  /** HTTP requests the REST clients sent, and those that got no HTTP answer at all. */
  requests: number;
  unanswered: number;
  submitted: number;
  /** Jobs by how they ended; "not ended" when they had not by the end of the wait. */
  ended: Record<string, number>;
}

/**
 * Customers on REST: each client submits a job (a no-op, or a short sleep so workers are stopped mid-run), with
 * an Idempotency-Key, then polls it until it ends, and again, until the load stops.
 */
export class RestLoad {
  readonly figures: RestFigures = { requests: 0, unanswered: 0, submitted: 0, ended: {} };

  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
  ) {}

  async run(clients: number, stop: AbortSignal): Promise<void> {
    await Promise.all(
      Array.from({ length: clients }, async (_, client) => {
        for (let i = 0; i < 100_000 && !stop.aborted; i++) {
          const body =
            i % 3 === 2
              ? { type: "image", model: "dev-sleep", prompt: "sleep 1500" }
              : { type: "image", model: "dev-noop", prompt: `cluster ${client}-${i}` };
          const created = await this.request("POST", "/v1/jobs", body, { "idempotency-key": randomUUID() });
          const jobId = (created as { jobId?: string } | undefined)?.jobId;
          if (!jobId) continue;
          this.figures.submitted++;
          this.tally(await this.untilEnded(jobId));
        }
      }),
    );
  }

  private async untilEnded(jobId: string): Promise<string> {
    const until = Date.now() + FINISH_MS;
    while (Date.now() < until) {
      const job = (await this.request("GET", `/v1/jobs/${jobId}`)) as { status?: string } | undefined;
      if (job?.status && FINAL.has(job.status)) return job.status;
      await new Promise((r) => setTimeout(r, 200));
    }
    return "not ended";
  }

  private tally(status: string): void {
    this.figures.ended[status] = (this.figures.ended[status] ?? 0) + 1;
  }

  private async request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<unknown> {
    this.figures.requests++;
    try {
      const response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.apiKey}`,
          ...(body !== undefined && { "content-type": "application/json" }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await response.text();
      return response.ok ? JSON.parse(text) : undefined;
    } catch {
      this.figures.unanswered++;
      return undefined;
    }
  }
}

export interface McpSessionFigures {
  /** The id the session was opened with. */
  sessionId: string;
  calls: number;
  /** Each failed call: a thrown error (a 404 for a lost session, a broken stream) or an isError result. */
  failures: string[];
  /** The session still had its first id at the end, and no call failed. */
  survived: boolean;
}

/**
 * Agents on MCP over Streamable HTTP: each keeps one session for the whole run (the SDK client, standalone stream
 * included) and calls generate_image, wait_for_job and get_account in turn, until the load stops.
 */
export class McpLoad {
  readonly sessions: McpSessionFigures[] = [];
  private readonly clients: Client[] = [];

  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
  ) {}

  async run(count: number, stop: AbortSignal): Promise<void> {
    await Promise.all(Array.from({ length: count }, () => this.agent(stop)));
  }

  /** Ends every session (DELETE), as a client that is done does. */
  async close(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.close().catch(() => {})));
  }

  private async agent(stop: AbortSignal): Promise<void> {
    const transport = new StreamableHTTPClientTransport(new URL(`${this.baseUrl}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${this.apiKey}` } },
    });
    const client = new Client({ name: "cluster-agent", version: "1.0.0" });
    this.clients.push(client);
    await client.connect(transport);
    const figures: McpSessionFigures = {
      sessionId: transport.sessionId ?? "",
      calls: 0,
      failures: [],
      survived: false,
    };
    this.sessions.push(figures);
    const call = async (name: string, args: Record<string, unknown>): Promise<CallToolResult | undefined> => {
      figures.calls++;
      try {
        const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
        if (result.isError) figures.failures.push(`${name}: ${JSON.stringify(result.content).slice(0, 200)}`);
        return result;
      } catch (error) {
        figures.failures.push(`${name}: ${(error as Error).message}`);
        return undefined;
      }
    };
    for (let i = 0; i < 100_000 && !stop.aborted && figures.failures.length === 0; i++) {
      const submitted = await call("generate_image", { prompt: `agent ${i}`, model: "dev-noop" });
      const jobId = (submitted?.structuredContent as { jobId?: string } | undefined)?.jobId;
      if (jobId) await call("wait_for_job", { jobId, timeoutSeconds: 5 });
      await call("get_account", {});
      await new Promise((r) => setTimeout(r, 100));
    }
    figures.survived = figures.failures.length === 0 && transport.sessionId === figures.sessionId;
  }
}
