import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export interface StdioFirstAnswerResult {
  /** Median time from spawn to the `initialize` answer (a 2025-11-25 client), in ms. */
  oursMs: number;
  baselineMs: number;
  /** Median time from spawn to the `server/discover` answer (a 2026-07-28 client), in ms. */
  modernOursMs: number;
  modernBaselineMs: number;
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

const DISCOVER = `${JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "server/discover",
  params: {
    _meta: {
      "io.modelcontextprotocol/protocolVersion": "2026-07-28",
      "io.modelcontextprotocol/clientInfo": { name: "bench", version: "1.0.0" },
      "io.modelcontextprotocol/clientCapabilities": {},
    },
  },
})}\n`;

// The least a stdio server can do: Node starts, reads one line, writes an answer.
const BASELINE = `process.stdin.once("data", () => process.stdout.write(JSON.stringify({ jsonrpc: "2.0", id: 1, result: { protocolVersion: "2025-11-25", capabilities: {}, serverInfo: { name: "noop", version: "0" } } }) + "\\n"));`;
const MODERN_BASELINE = `process.stdin.once("data", () => process.stdout.write(JSON.stringify({ jsonrpc: "2.0", id: 1, result: { supportedVersions: ["2026-07-28"], capabilities: {}, resultType: "complete" } }) + "\\n"));`;

/** Spawns the command, sends `request`, and times the first line it answers; then ends it and waits for it. */
async function timeFirstAnswer(args: string[], env: NodeJS.ProcessEnv, request: string): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { env, stdio: ["pipe", "pipe", "ignore"] });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.stdin.write(request);
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
 * its embedded Postgres boots behind the answer), against `node -e` answering the same request; alternating
 * rounds, for a 2025-11-25 client (`initialize`) and a 2026-07-28 one (`server/discover`).
 */
export async function benchStdioFirstAnswer(options: { rounds: number }): Promise<StdioFirstAnswerResult> {
  const times = {
    ours: [] as number[],
    baseline: [] as number[],
    modernOurs: [] as number[],
    modernBaseline: [] as number[],
  };
  for (let round = 0; round < options.rounds; round++) {
    times.ours.push(await timeOnEmptyFolder(INITIALIZE));
    times.baseline.push(
      await timeFirstAnswer(["-e", BASELINE], { PATH: process.env.PATH ?? "" }, INITIALIZE),
    );
    times.modernOurs.push(await timeOnEmptyFolder(DISCOVER));
    times.modernBaseline.push(
      await timeFirstAnswer(["-e", MODERN_BASELINE], { PATH: process.env.PATH ?? "" }, DISCOVER),
    );
  }
  return {
    oursMs: median(times.ours),
    baselineMs: median(times.baseline),
    modernOursMs: median(times.modernOurs),
    modernBaselineMs: median(times.modernBaseline),
  };
}

/** Our bin's first answer to `request`, spawned on a data folder of its own, empty. */
async function timeOnEmptyFolder(request: string): Promise<number> {
  // Under /tmp, enterable by the postgres user the embedded Postgres runs as.
  const parent = mkdtempSync("/tmp/mme-bench-stdio-");
  chmodSync(parent, 0o755);
  try {
    return await timeFirstAnswer(
      [bin()],
      {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "/root",
        MME_DATA_DIR: join(parent, "data"),
        MME_LOG_LEVEL: "warn",
      },
      request,
    );
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
}

function bin(): string {
  return join(
    dirname(createRequire(import.meta.url).resolve("@mcpmediaengine/server/package.json")),
    "bin",
    "mcp-media-engine.mjs",
  );
}
