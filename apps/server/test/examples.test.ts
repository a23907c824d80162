import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { MediaEngine } from "@mcpmediaengine/sdk";
import { afterAll, beforeAll, expect, test } from "vitest";
import { eventually, startTestServer, type TestServer } from "./harness";
import { pngSize } from "./mcp-client";

// Each example is run the way its README says (`pnpm start` in its folder), against a started engine.
const EXAMPLES = resolve(import.meta.dirname, "../../../examples");
const execFileAsync = promisify(execFile);

let server: TestServer;
let engine: MediaEngine;
const children: ChildProcess[] = [];
beforeAll(async () => {
  server = await startTestServer();
  engine = new MediaEngine({ apiKey: server.key, baseUrl: server.url });
}, 60_000);
afterAll(async () => {
  // pnpm starts tsx, which starts node: the whole process group goes.
  for (const child of children) if (child.pid) process.kill(-child.pid, "SIGTERM");
  await server?.stop();
});

const env = () => ({ ...process.env, MME_API_URL: server.url, MME_API_KEY: server.key });

test("blog-hero-agent writes the article and saves its 1200×630 hero next to it", async () => {
  const out = mkdtempSync(join(tmpdir(), "mme-blog-hero-"));
  const { stdout } = await execFileAsync("pnpm", ["start", "Shipping smaller pull requests"], {
    cwd: join(EXAMPLES, "blog-hero-agent"),
    env: { ...env(), OUT_DIR: out },
  });
  expect(stdout).toMatch(/Article: Shipping smaller pull requests/);
  expect(stdout).toMatch(/job_\w+ completed/);
  const dir = join(out, "shipping-smaller-pull-requests");
  expect(pngSize(readFileSync(join(dir, "hero.png")))).toEqual({ width: 1200, height: 630 });
  const markdown = readFileSync(join(dir, "article.md"), "utf8");
  expect(markdown).toMatch(
    /^# Shipping smaller pull requests\n\n!\[Shipping smaller pull requests\]\(hero\.png\)/,
  );
}, 120_000);

test("batch-creative-testing submits eight variants and tabulates them from the webhooks it received", async () => {
  const { stdout } = await execFileAsync("pnpm", ["start"], {
    cwd: join(EXAMPLES, "batch-creative-testing"),
    env: env(),
  });
  const batchId = /Batch (bat_\w+): 8 variants, 16 credits held/.exec(stdout)?.[1];
  expect(batchId).toBeDefined();
  const rows = stdout.split("\n").filter((l) => /^\d+ {2}/.test(l));
  expect(rows).toHaveLength(8);
  // Prompts outermost, seeds innermost; every variant completed with its own asset URL.
  expect(rows[0]).toMatch(
    /^1\s+Spring sale: 30% off everything\s+social_post\s+1\s+1080×1080\s+completed\s+2\s+http/,
  );
  expect(rows[7]).toMatch(
    /^8\s+New: the lightweight trail runner\s+product_shot\s+2\s+1024×1024\s+completed\s+2\s+http/,
  );
  // The costs it printed are the batch's, as the API tells them.
  const batch = await engine.batches.get(batchId!);
  expect(stdout).toMatch(`8 of 8 completed, ${batch.credits.spent} credits spent`);
  expect(batch.credits.spent).toBe(16);
}, 120_000);

test("webhook-receiver logs verified events and turns away unsigned ones", async () => {
  const child = spawn("pnpm", ["start"], {
    cwd: join(EXAMPLES, "webhook-receiver"),
    env: { ...env(), PORT: "0" },
    detached: true,
  });
  children.push(child);
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const url = (await eventually(
    async () => /Receiving webhooks at (\S+)/.exec(output)?.[1],
    (found) => found !== undefined,
  ))!;

  const job = await engine.jobs.createAndWait({
    type: "image",
    prompt: "receiver",
    model: "dev-noop",
    webhookUrl: url,
  });
  await eventually(
    async () => output,
    (logged) => logged.includes(`job.completed ${job.jobId} ${job.result!.assets[0]!.url}`),
  );

  const forged = await fetch(url, { method: "POST", body: JSON.stringify({ type: "job.completed" }) });
  expect(forged.status).toBe(401);
  await eventually(
    async () => output,
    (logged) => logged.includes("rejected a delivery"),
  );
  expect(output.match(/job\.completed/g)).toHaveLength(1);
}, 60_000);
