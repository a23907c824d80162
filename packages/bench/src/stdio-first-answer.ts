import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export interface StdioFirstAnswerResult {
  /** Median time from spawn to the `initialize` answer, in ms. */
  oursMs: number;
  baselineMs: number;
}

const INITIALIZE = `${JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: {
    protocolVersion: "2025-11-25",
    capabilities: {},
    clientInfo: { name: "bench", version: "1.0.0" },
  },
})}\n`;

// The least a stdio server can do: Node starts, reads one line, writes an answer.
const BASELINE = `process.stdin.once("data", () => process.stdout.write(JSON.stringify({ jsonrpc: "2.0", id: 1, result: { protocolVersion: "2025-11-25", capabilities: {}, serverInfo: { name: "noop", version: "0" } } }) + "\\n"));`;

/** Spawns the command, sends initialize, and times the first line it answers; then ends it and waits for it. */
async function timeFirstAnswer(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { env, stdio: ["pipe", "pipe", "ignore"] });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.stdin.write(INITIALIZE);
  const ms = await new Promise<number>((resolve, reject) => {
    child.stdout.once("data", () => resolve(performance.now() - t0));
    child.once("exit", (code) => reject(new Error(`exited (${code}) before answering`)));
  });
  // Closing stdin ends the session; the engine, if it got that far, stops in order.
  child.stdin.end();
  await exited;
  return ms;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Time to the first answer of MCP on stdio, as a desktop host spawns it on an empty data folder (the engine with
 * its embedded Postgres boots behind the answer), against `node -e` answering initialize; alternating rounds.
 */
export async function benchStdioFirstAnswer(options: { rounds: number }): Promise<StdioFirstAnswerResult> {
  const ours: number[] = [];
  const baseline: number[] = [];
  for (let round = 0; round < options.rounds; round++) {
    // Under /tmp, enterable by the postgres user the embedded Postgres runs as.
    const parent = mkdtempSync("/tmp/mme-bench-stdio-");
    chmodSync(parent, 0o755);
    try {
      ours.push(
        await timeFirstAnswer([bin()], {
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? "/root",
          MME_DATA_DIR: join(parent, "data"),
          MME_LOG_LEVEL: "warn",
        }),
      );
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
    baseline.push(await timeFirstAnswer(["-e", BASELINE], { PATH: process.env.PATH ?? "" }));
  }
  return { oursMs: median(ours), baselineMs: median(baseline) };
}

function bin(): string {
  return join(
    dirname(createRequire(import.meta.url).resolve("@mcpmediaengine/server/package.json")),
    "bin",
    "mcp-media-engine.mjs",
  );
}
