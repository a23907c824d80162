import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import type { Job } from "@mcpmediaengine/contract";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestServer, type TestServer } from "./harness";
import { pngSize } from "./mcp-client";

const BIN = resolve(import.meta.dirname, "../bin/mcp-media-engine.mjs");
const execFileAsync = promisify(execFile);

let server: TestServer;
let dir: string;
beforeAll(async () => {
  server = await startTestServer();
  dir = mkdtempSync(join(tmpdir(), "mme-cli-"));
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

/** The bin as a user runs it, against the test server. Asynchronous: the engine it calls runs in this process. */
async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? "", MME_API_URL: server.url, MME_API_KEY: server.key, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

test("generate image --preset blog_thumbnail --out waits, with a status line per change, and saves the PNG", async () => {
  const out = join(dir, "hero.png");
  const run = await cli([
    "generate",
    "image",
    "Shipping faster with smaller PRs",
    "--preset",
    "blog_thumbnail",
    "--out",
    out,
  ]);
  expect(run.code).toBe(0);
  expect(run.stdout).toBe(`${out}\n`);
  expect(pngSize(readFileSync(out))).toEqual({ width: 1200, height: 630 });
  // Not a terminal, so progress is a line per status, ending with the saved file.
  const lines = run.stderr.trim().split("\n");
  expect(lines[0]).toMatch(/^job_\w+ (queued|processing( \d+%)?|completed)$/);
  expect(lines.at(-1)).toMatch(/^job_\w+ completed: image\/png, \d+ bytes, saved to .*hero\.png$/);
});

test("generate video --wait shows the percent the job's event stream reports", async () => {
  const run = await cli(["generate", "video", "A slow pan over a harbour at dawn", "--wait"]);
  expect(run.code).toBe(0);
  const lines = run.stderr.trim().split("\n");
  const percents = lines.flatMap((l) => /^job_\w+ processing (\d+)%$/.exec(l)?.[1] ?? []).map(Number);
  // Off a terminal a line per tenth: more than the first, rising, never past 100.
  expect(percents.length).toBeGreaterThan(1);
  expect(percents).toEqual([...percents].sort((x, y) => x - y));
  expect(Math.max(...percents)).toBeGreaterThan(0);
  expect(lines.at(-1)).toMatch(/^job_\w+ completed\.$/);
});

test("generate without --wait prints the job id at once; jobs get and jobs list show it", async () => {
  const run = await cli(["generate", "image", "sleep 300", "--model", "dev-sleep", "--seed", "7"]);
  expect(run.code).toBe(0);
  const jobId = run.stdout.trim();
  expect(jobId).toMatch(/^job_\w+$/);
  expect(run.stderr).toMatch(`Follow it with: mcp-media-engine jobs get ${jobId}`);

  const got = await cli(["jobs", "get", jobId]);
  const job = JSON.parse(got.stdout) as Job;
  expect(job).toMatchObject({ jobId, model: "dev-sleep", input: { seed: 7 } });

  const list = await cli(["jobs", "list", "--model", "dev-sleep"]);
  const [header, ...rows] = list.stdout.trim().split("\n");
  expect(header).toMatch(/^JOB\s+TYPE\s+MODEL\s+STATUS\s+CREDITS\s+CREATED$/);
  expect(rows.some((r) => r.startsWith(`${jobId}  image  dev-sleep`))).toBe(true);
});

test("jobs cancel cancels a queued job; cancelling it again exits 1 with the contract's code", async () => {
  const submitted = await cli(["generate", "image", "sleep 20000", "--model", "dev-sleep"]);
  const jobId = submitted.stdout.trim();
  const canceled = await cli(["jobs", "cancel", jobId]);
  expect(canceled).toMatchObject({ code: 0, stdout: `${jobId} canceled\n` });
  const again = await cli(["jobs", "cancel", jobId]);
  expect(again.code).toBe(1);
  expect(again.stderr).toMatch(/^mcp-media-engine: job_not_cancelable: /);
});

test("a failed job exits 1 with its error; bad input, a wrong key and no settings are told plainly", async () => {
  const failed = await cli(["generate", "image", "no luck", "--model", "dev-fail", "--wait"]);
  expect(failed.code).toBe(1);
  expect(failed.stderr).toMatch(/job_\w+ failed: \w+: /);

  const bad = await cli(["generate", "image", "x", "--preset", "poster"]);
  expect(bad.code).toBe(1);
  expect(bad.stderr).toMatch(/^mcp-media-engine: invalid_request: /);

  const wrongKey = await cli(["jobs", "list"], { MME_API_KEY: "mme_live_wrong" });
  expect(wrongKey.code).toBe(1);
  expect(wrongKey.stderr).toMatch(/^mcp-media-engine: unauthorized: /);

  const unset = await cli(["jobs", "list"], { MME_API_URL: "", MME_API_KEY: "" });
  expect(unset.code).toBe(1);
  expect(unset.stderr).toMatch(/Set MME_API_URL .* and MME_API_KEY/);

  const usage = await cli(["generate", "poem", "x"]);
  expect(usage.code).toBe(1);
  expect(usage.stderr).toMatch(/generate takes a media type/);
});

test("generate image --image uploads the file and starts the job from it", async () => {
  const { renderImage } = await import("@mcpmediaengine/media");
  const photo = join(dir, "bottle.png");
  const { writeFileSync } = await import("node:fs");
  writeFileSync(
    photo,
    await renderImage({
      prompt: "a bottle",
      preset: "product_shot",
      width: 200,
      height: 300,
      format: "png",
      seed: 3,
    }),
  );
  const run = await cli([
    "generate",
    "image",
    "studio shot",
    "--preset",
    "product_shot",
    "--image",
    photo,
    "--json",
  ]);
  expect(run.code).toBe(0);
  const job = JSON.parse(run.stdout) as Job;
  expect(job.input).toMatchObject({ inputImages: [{ width: 200, height: 300, mimeType: "image/png" }] });
});
