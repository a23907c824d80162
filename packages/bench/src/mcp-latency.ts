import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
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
}

const NOOP = join(import.meta.dirname, "noop-mcp-server.ts");

/**
 * Tool-call latency through the SDK's own Client: our `get_job_status` on a completed job (a database read, the
 * job's presentation, its preview) against the SDK's McpServer with a tool that does nothing, on the same
 * transport, each server in a process of its own; one call at a time, the two sides alternating.
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
    const noopUrl = await new Promise<string>((resolve) => {
      noopHttp.stdout.on("data", (chunk: Buffer) => {
        const match = /listening on (\S+)/.exec(chunk.toString());
        if (match) resolve(match[1]!);
      });
    });
    const noopHttpClient = await connect(new StreamableHTTPClientTransport(new URL(noopUrl)));
    const time = async (client: Client, name: string) => {
      const t0 = performance.now();
      await client.callTool({ name, arguments: { jobId } });
      return performance.now() - t0;
    };
    const samples = { stdio: [[], []], http: [[], []] } as Record<"stdio" | "http", [number[], number[]]>;
    for (let i = 0; i < 50; i++) {
      await time(stdio, "get_job_status");
      await time(noopStdio, "noop");
      await time(http, "get_job_status");
      await time(noopHttpClient, "noop");
    }
    for (let i = 0; i < options.count; i++) {
      samples.stdio[0].push(await time(stdio, "get_job_status"));
      samples.stdio[1].push(await time(noopStdio, "noop"));
      samples.http[0].push(await time(http, "get_job_status"));
      samples.http[1].push(await time(noopHttpClient, "noop"));
    }
    const stats = (s: number[]) => ({ p50Ms: percentile(s, 0.5), p99Ms: percentile(s, 0.99) });
    return {
      stdio: { ours: stats(samples.stdio[0]), baseline: stats(samples.stdio[1]) },
      http: { ours: stats(samples.http[0]), baseline: stats(samples.http[1]) },
    };
  } finally {
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
    noopHttp.kill();
    await engine.stop();
  }
}

function bin(): string {
  return join(
    dirname(createRequire(import.meta.url).resolve("@mcpmediaengine/server/package.json")),
    "bin",
    "mcp-media-engine.mjs",
  );
}
