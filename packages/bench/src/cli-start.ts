import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { percentile } from "./stats";

export interface CliStartResult {
  /** `mcp-media-engine --help`, from spawn to exit, median. */
  helpMs: number;
  /** `node -e ""`: Node's own start, the floor under any CLI. */
  nodeMs: number;
}

/**
 * How long the CLI takes to answer `--help` (the client commands start the same way: neither loads the engine)
 * against Node starting and doing nothing. Each run is a new process, as a user's is; the two alternate so a busy
 * moment weighs on both.
 */
export function benchCliStart(options: { rounds: number }): CliStartResult {
  const bin = join(
    dirname(createRequire(import.meta.url).resolve("@mcpmediaengine/server/package.json")),
    "bin/mcp-media-engine.mjs",
  );
  const time = (args: string[]) => {
    const started = performance.now();
    execFileSync(process.execPath, args, { stdio: "ignore" });
    return performance.now() - started;
  };
  const help: number[] = [];
  const node: number[] = [];
  time([bin, "--help"]); // warms the disk cache and tsx's transform cache
  for (let round = 0; round < options.rounds; round++) {
    help.push(time([bin, "--help"]));
    node.push(time(["-e", ""]));
  }
  return { helpMs: percentile(help, 0.5), nodeMs: percentile(node, 0.5) };
}
