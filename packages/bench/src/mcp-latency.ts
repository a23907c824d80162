import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import {
  Client as ModernClient,
  StreamableHTTPClientTransport as ModernHttpTransport,
} from "@modelcontextprotocol/client";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { BENCH_KEY, startBenchEngine } from "./engine";
import type { BenchPostgres } from "./postgres";
import { percentile } from "./stats";

type Latency = { p50Ms: number; p99Ms: number };
export interface McpLatencyResult {
  stdio: { ours: Latency; baseline: Latency };
  http: { ours: Latency; baseline: Latency };
  /** Protocol 2026-07-28, stateless: our /mcp against the 2.x SDK's createMcpHandler with a no-op tool. */
  modernHttp: { ours: Latency; baseline: Latency };
}

const NOOP = join(import.meta.dirname, "noop-mcp-server.ts");

/**
 * Tool-call latency through the SDK's own Client: our `get_job_status` on a completed job (a database read, the
 * job's presentation, its preview) against the SDK's McpServer with a tool that does nothing, on the same
 * transport, each server in a process of its own; one call at a time, the two sides alternating. Over HTTP it is
 * measured for both protocol revisions: 2025-11-25 (a session) and 2026-07-28 (stateless, the 2.x SDK's client
 * and, for the baseline, its server).
 */
export async function benchMcpLatency(
  postgres: BenchPostgres,
  options: { count: number },
): Promise<McpLatencyResult> {
  const databaseUrl = await postgres.freshDatabase("mcp");
  const engine = await startBenchEngine(databaseUrl, "all", { clients: 1 });
  const clients: Client[] = [];
  const connect = async (transport: StdioClientTransport | StreamableHTTPClientTransport) => {
    const client = new Client({ name: "bench", version: "1.0.0" });
    await client.connect(transport);
    clients.push(client);
    return client;
  };
  const noopHttp = spawn(process.execPath, ["--import", "tsx", NOOP, "http"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const noopModern = spawn(process.execPath, ["--import", "tsx", NOOP, "modern-http"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const modernClients: ModernClient[] = [];
  const connectModern = async (url: URL, headers: Record<string, string> = {}) => {
    const client = new ModernClient(
      { name: "bench", version: "1.0.0" },
      { versionNegotiation: { mode: { pin: "2026-07-28" } } },
    );
    await client.connect(new ModernHttpTransport(url, { requestInit: { headers } }));
    modernClients.push(client);
    return client;
  };
  try {
    const { jobId } = await engine.submit({ type: "image", prompt: "bench", model: "dev-noop" });
    const http = await connect(
      new StreamableHTTPClientTransport(new URL(`${engine.url}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${BENCH_KEY}` } },
      }),
    );
    for (let i = 0; i < 100; i++) {
      const result = await http.callTool({ name: "get_job_status", arguments: { jobId } });
      if ((result.structuredContent as { status: string }).status === "completed") break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const stdio = await connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [bin()],
        env: {
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? "/root",
          DATABASE_URL: databaseUrl,
          MME_DATA_DIR: engine.dataDir,
          MME_BOOTSTRAP_API_KEY: BENCH_KEY,
          MME_LOG_LEVEL: "warn",
        },
      }),
    );
    const noopStdio = await connect(
      new StdioClientTransport({ command: process.execPath, args: ["--import", "tsx", NOOP, "stdio"] }),
    );
    const noopHttpClient = await connect(
      new StreamableHTTPClientTransport(new URL(await listening(noopHttp))),
    );
    const modern = await connectModern(new URL(`${engine.url}/mcp`), {
      authorization: `Bearer ${BENCH_KEY}`,
    });
    const noopModernClient = await connectModern(new URL(await listening(noopModern)));
    const time = async (client: Client | ModernClient, name: string) => {
      const t0 = performance.now();
      await client.callTool({ name, arguments: { jobId } });
      return performance.now() - t0;
    };
    const samples = { stdio: [[], []], http: [[], []], modernHttp: [[], []] } as Record<
      "stdio" | "http" | "modernHttp",
      [number[], number[]]
    >;
    for (let i = 0; i < 50; i++) {
      await time(stdio, "get_job_status");
      await time(noopStdio, "noop");
      await time(http, "get_job_status");
      await time(noopHttpClient, "noop");
      await time(modern, "get_job_status");
      await time(noopModernClient, "noop");
    }
    for (let i = 0; i < options.count; i++) {
      samples.stdio[0].push(await time(stdio, "get_job_status"));
      samples.stdio[1].push(await time(noopStdio, "noop"));
      samples.http[0].push(await time(http, "get_job_status"));
      samples.http[1].push(await time(noopHttpClient, "noop"));
      samples.modernHttp[0].push(await time(modern, "get_job_status"));
      samples.modernHttp[1].push(await time(noopModernClient, "noop"));
    }
    const stats = (s: number[]) => ({ p50Ms: percentile(s, 0.5), p99Ms: percentile(s, 0.99) });
    return {
      stdio: { ours: stats(samples.stdio[0]), baseline: stats(samples.stdio[1]) },
      http: { ours: stats(samples.http[0]), baseline: stats(samples.http[1]) },
      modernHttp: { ours: stats(samples.modernHttp[0]), baseline: stats(samples.modernHttp[1]) },
    };
  } finally {
    await Promise.all([...clients, ...modernClients].map((c) => c.close().catch(() => {})));
    noopHttp.kill();
    noopModern.kill();
    await engine.stop();
  }
}

/** The URL a no-op server process says it listens on. */
function listening(child: ReturnType<typeof spawn>): Promise<string> {
  return new Promise((resolve) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      const match = /listening on (\S+)/.exec(chunk.toString());
      if (match) resolve(match[1]!);
    });
  });
}

function bin(): string {
  return join(
    dirname(createRequire(import.meta.url).resolve("@mcpmediaengine/server/package.json")),
    "bin",
    "mcp-media-engine.mjs",
  );
}
