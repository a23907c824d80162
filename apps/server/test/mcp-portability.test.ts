import { execFile } from "node:child_process";
import { realpathSync } from "node:fs";
import { resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestServer, type TestServer } from "./harness";

// The MCP Inspector's own CLI (not ours): its --strict lint of tool schemas is what hosts' portability comes down
// to (bare boolean schemas, `type` arrays, schemas that say nothing, remote $refs). Its real path: it runs only when
// started as itself, not through pnpm's symlink.
const INSPECTOR = realpathSync(
  resolve(import.meta.dirname, "../node_modules/@modelcontextprotocol/inspector/clients/cli/build/index.js"),
);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

test("every tool's input and output schema passes the Inspector's --strict portability check, with no finding", async () => {
  const args = [
    INSPECTOR,
    "--transport",
    "http",
    "--server-url",
    `${server.url}/mcp`,
    "--header",
    `Authorization: Bearer ${server.key}`,
    "--method",
    "tools/list",
    "--strict",
  ];
  const run = await promisify(execFile)(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
  const findings = run.stderr.split("\n").filter((line) => /^(Error|Warning): tool|Path: /.test(line));
  expect(findings).toEqual([]);
  expect(run.code).toBe(0);
  const { tools } = JSON.parse(run.stdout) as { tools: { name: string; outputSchema?: unknown }[] };
  expect(tools.length).toBeGreaterThanOrEqual(9);
  expect(tools.every((t) => t.outputSchema)).toBe(true);
});
