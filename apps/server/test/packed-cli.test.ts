import { execFileSync, spawn } from "node:child_process";
import { chmodSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { expect, test } from "vitest";

const SERVER = resolve(import.meta.dirname, "..");

test("the packed tarball installs with npm and `npx mcp-media-engine` serves MCP, its embedded Postgres included", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mme-packed-"));
  // As root, Postgres's programs run as the postgres user, who must be able to enter the install folder.
  chmodSync(dir, 0o755);
  const tarball = execFileSync(process.execPath, [join(SERVER, "scripts/pack-cli.mjs"), dir], { cwd: SERVER })
    .toString()
    .trim()
    .split("\n")
    .pop()!;
  // As a user would: npm (whose install scripts are off by default), not the workspace's pnpm.
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", tarball], { cwd: dir });
  const child = spawn("npx", ["--no-install", "mcp-media-engine"], {
    cwd: dir,
    // The data folder must be one the postgres user can enter when this runs as root (mkdtemp's is 0700).
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      MME_DATA_DIR: join("/tmp", `mme-packed-data-${process.pid}`),
    },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const lines = createInterface({ input: child.stdout });
  const waiting = new Map<number, (answer: Record<string, unknown>) => void>();
  lines.on("line", (line) => {
    const message = JSON.parse(line) as { id?: number };
    if (message.id !== undefined) waiting.get(message.id)?.(message);
  });
  const exited = new Promise<never>((_, reject) => {
    child.once("exit", (code) => reject(new Error(`mcp-media-engine exited (${code})`)));
  });
  const request = (id: number, method: string, params: unknown) =>
    Promise.race([
      new Promise<Record<string, unknown>>((resolveAnswer) => {
        waiting.set(id, resolveAnswer);
        child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id, method, params })}\n`);
      }),
      exited,
    ]);
  try {
    const init = await request(1, "initialize", {
      protocolVersion: "2025-11-25",
      capabilities: {},
      clientInfo: { name: "packed", version: "1" },
    });
    expect(init).toMatchObject({ result: { serverInfo: { name: "mcp-media-engine" } } });
    child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" })}\n`);
    const account = await request(2, "tools/call", { name: "get_account", arguments: {} });
    expect(account).toMatchObject({ result: { structuredContent: { plan: "enterprise" } } });
    const image = await request(3, "tools/call", {
      name: "generate_image",
      arguments: { prompt: "Packed", preset: "social_post" },
    });
    expect(image).toMatchObject({ result: { structuredContent: { status: "queued" } } });
    // Speech runs eSpeak in a worker thread whose entry file must sit beside the bundle: it must complete.
    const speech = await request(4, "tools/call", {
      name: "generate_audio",
      arguments: { prompt: "Packed and spoken.", format: "wav" },
    });
    const { jobId } = (speech as { result: { structuredContent: { jobId: string } } }).result
      .structuredContent;
    let job: { status?: string; error?: unknown } = {};
    for (let id = 5; job.status !== "completed" && job.status !== "failed"; id++) {
      const answer = await request(id, "tools/call", {
        name: "wait_for_job",
        arguments: { jobId, timeoutSeconds: 50 },
      });
      job = (answer as { result: { structuredContent: typeof job } }).result.structuredContent;
    }
    expect(job).toMatchObject({ status: "completed" });
  } catch (error) {
    throw new Error(`${String(error)}\nstderr:\n${stderr}`);
  } finally {
    child.stdin.end();
    await exited.catch(() => {});
  }
}, 300_000);
