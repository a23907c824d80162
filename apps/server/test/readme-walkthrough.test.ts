import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestServer, type TestServer } from "./harness";
import { pngSize } from "./mcp-client";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

test("the README's curl walk-through runs as written, with the key pnpm start printed", async () => {
  const readme = readFileSync(resolve(import.meta.dirname, "../../../README.md"), "utf8");
  const block = /## A walk through with curl\n\n```sh\n([\s\S]*?)```/.exec(readme)![1]!;
  const [first, ...rest] = block.split("\n");
  expect(first).toMatch(/^KEY=mme_sk_…\s+# the key pnpm start printed/);
  const script = [`set -eu`, `KEY=${server.key}`, ...rest]
    .join("\n")
    .replaceAll("http://127.0.0.1:8787", server.url);
  const cwd = mkdtempSync(join(tmpdir(), "mme-readme-"));
  const { stdout } = await promisify(execFile)("bash", ["-c", script], { cwd, timeout: 120_000 });
  const lines = stdout.split("\n");
  expect(lines[0]).toMatch(/^job_\w{24}$/);
  expect(stdout).toContain('"status":"completed"');
  expect(pngSize(readFileSync(join(cwd, "thumbnail.png")))).toEqual({ width: 1200, height: 630 });
  expect(stdout).toContain('"code":"job_not_cancelable"');
});
