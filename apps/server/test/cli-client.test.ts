import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
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

  // A value the contract refuses is told by its flag before anything is sent; what only the engine can judge
  // comes back with the contract's code.
  const bad = await cli(["generate", "image", "x", "--preset", "poster"]);
  expect(bad.code).toBe(1);
  expect(bad.stderr).toMatch(
    /^mcp-media-engine: --preset must be one of blog_thumbnail, social_post, product_shot/,
  );
  const unknown = await cli(["generate", "image", "x", "--model", "no-such-model"]);
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toMatch(/^mcp-media-engine: model_unavailable: /);

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

test("generate takes every job field as a flag: what it submits is what the flags said", async () => {
  const run = await cli([
    "generate",
    "image",
    "sleep 20000",
    "--model",
    "dev-sleep",
    "--size",
    "640x480",
    "--format",
    "webp",
    "--seed",
    "11",
    "--metadata",
    "campaign=spring",
  ]);
  expect(run.code).toBe(0);
  const jobId = run.stdout.trim();
  const job = JSON.parse((await cli(["jobs", "get", jobId])).stdout) as Job;
  expect(job).toMatchObject({
    input: { width: 640, height: 480, format: "webp", seed: 11 },
    metadata: { campaign: "spring" },
  });
  await cli(["jobs", "cancel", jobId]);

  const speech = await cli([
    "generate",
    "audio",
    "Hello there.",
    "--speed",
    "1.5",
    "--pitch",
    "0.8",
    "--format",
    "wav",
  ]);
  expect(speech.code).toBe(0);
  const spoken = JSON.parse((await cli(["jobs", "get", speech.stdout.trim()])).stdout) as Job;
  expect(spoken.input).toMatchObject({ speed: 1.5, pitch: 0.8, format: "wav" });
});

test("a bad flag is refused before anything is sent, naming itself", async () => {
  // No engine at this address: a flag error must come first.
  const offline = { MME_API_URL: "http://127.0.0.1:9", MME_API_KEY: "mme_sk_x" };
  const cases: [string[], RegExp][] = [
    [["generate", "image", "x", "--seed", "abc"], /^mcp-media-engine: --seed must be an integer\.\n$/],
    [["generate", "audio", "x", "--speed", "fast"], /^mcp-media-engine: --speed must be a number\.\n$/],
    [["generate", "image", "x", "--format", "gif"], /--format must be one of png, webp, jpeg, avif/],
    [["generate", "image", "x", "--voice", "en-us"], /--voice is not an option of image jobs/],
    [["generate", "image", "x", "--bogus", "1"], /Unknown option '--bogus'\. See --help\./],
    [["jobs", "list", "--limit", "ten"], /--limit must be an integer\./],
    [["jobs", "frobnicate"], /jobs takes list, get or cancel/],
  ];
  for (const [args, message] of cases) {
    const run = await cli(args, offline);
    expect([args.join(" "), run.code, run.stderr]).toEqual([
      args.join(" "),
      1,
      expect.stringMatching(message),
    ]);
  }
});

test("every command has --help, answered without an engine or a database", async () => {
  const none = { MME_API_URL: "", MME_API_KEY: "", DATABASE_URL: "postgres://nobody@127.0.0.1:9/none" };
  const cases: [string[], RegExp][] = [
    [["--help"], /^Usage: mcp-media-engine \[command\]/],
    [["help"], /Commands:/],
    [["generate", "--help"], /--duration S\s+Length in seconds/],
    [["jobs", "--help"], /jobs list .*\n[\s\S]*jobs cancel JOB_ID/],
    [["jobs", "list", "--help"], /jobs list \[--status S\]/],
    [["start", "--help"], /start \[--role all\|api\|worker\]/],
    [["keys", "--help"], /keys create[\s\S]*keys revoke/],
    [["accounts", "create", "-h"], /accounts create --name NAME/],
    [["credits", "--help"], /credits add ACCOUNT_ID N --reason TEXT/],
    [["assets", "--help"], /assets migrate --to s3:/],
    [["help", "mcp"], /Serve MCP on stdin\/stdout/],
  ];
  for (const [args, usage] of cases) {
    const run = await cli(args, none);
    expect([args.join(" "), run.code, run.stdout]).toEqual([args.join(" "), 0, expect.stringMatching(usage)]);
  }
});

test("help and the client commands load no engine: nothing they import reaches the engine, db, mcp or media", () => {
  // The modules cli.ts loads before it knows the command is not a client one, followed through relative imports.
  const src = resolve(import.meta.dirname, "../src");
  const seen = new Set<string>();
  const heavy: string[] = [];
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    // Static imports only: `await import(...)` is how the engine is loaded once it is needed.
    for (const [, specifier] of text.matchAll(/^(?:import|export)\s(?!type\b)[^;]*?from\s+"([^"]+)";/gms)) {
      if (/^@mcpmediaengine\/(engine|db|mcp|media)\b|^pg$|^graphile-worker$/.test(specifier!))
        heavy.push(`${file.slice(src.length)} imports ${specifier}`);
      if (specifier!.startsWith(".")) visit(resolve(dirname(file), `${specifier}.ts`));
    }
  };
  for (const entry of ["cli.ts", "commands/usage.ts", "commands/client.ts", "commands/generate-flags.ts"])
    visit(join(src, entry));
  expect(heavy).toEqual([]);
  expect([...seen].map((f) => f.slice(src.length)).sort()).not.toContain("/main.ts");
});
