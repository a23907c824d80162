import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import type { MediaType } from "@mcpmediaengine/contract";
import {
  ApiError,
  ConnectionError,
  type Job,
  type JobRequest,
  JobWaitTimeoutError,
  MediaEngine,
  type StreamedJobEvent,
} from "@mcpmediaengine/sdk";
import { FlagError, generateOptions, jobRequestFromFlags } from "./generate-flags";

const MEDIA_TYPES = ["image", "video", "audio"] as const;

/** The API client commands: the SDK against a running engine, as the key in the environment. */
export function runClientCommand(command: "generate" | "jobs", args: string[]): Promise<number> {
  return command === "generate" ? generate(args) : jobs(args);
}

/**
 * The client commands as the CLI runs them (cli.ts loads this module, not the engine, so they start in a
 * moment): the exit status, and a failure told in one line naming the flag or the contract's code.
 */
export function runClientCli(command: "generate" | "jobs", args: string[]): void {
  runClientCommand(command, args).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`mcp-media-engine: ${describeCliError(error)}\n`);
      process.exit(1);
    },
  );
}

/** A client command's failure in one line: the API's code first, a flag by its name, else the stack. */
export function describeCliError(error: unknown): string {
  const described = describeClientError(error);
  if (described !== undefined) return described;
  if (error instanceof FlagError) return error.message;
  const code = (error as { code?: string }).code;
  if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS"))
    return `${(error as Error).message.replace(/\. To specify a positional argument.*$/s, ".")} See --help.`;
  return `unexpected error: ${error instanceof Error ? error.stack : String(error)}`;
}

async function generate(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      ...generateOptions(),
      image: { type: "string" },
      out: { type: "string" },
      wait: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
    },
  });
  const [type, prompt, extra] = positionals;
  if (!MEDIA_TYPES.includes(type as (typeof MEDIA_TYPES)[number]) || !prompt || extra !== undefined)
    throw new FlagError(`generate takes a media type (image, video or audio) and one quoted prompt.`);
  // Every flag is checked against the contract before anything is sent; the engine checks the whole again.
  const request = jobRequestFromFlags(type as MediaType, prompt, values) as JobRequest;
  const engine = connect();
  // An input image is uploaded first; the job names the upload.
  if (values.image !== undefined) {
    const { uploadId } = await engine.uploads.create(await readFile(values.image));
    Object.assign(request, type === "video" ? { inputImage: uploadId } : { inputImages: [uploadId] });
  }
  const submitted = await engine.jobs.create(request);
  if (!values.wait && values.out === undefined) {
    process.stderr.write(
      `Submitted ${submitted.jobId} (${submitted.type}, ${submitted.model}, ${submitted.cost.credits} credits).\n` +
        `Follow it with: mcp-media-engine jobs get ${submitted.jobId}\n`,
    );
    process.stdout.write(values.json ? `${JSON.stringify(submitted, null, 2)}\n` : `${submitted.jobId}\n`);
    return 0;
  }

  const stop = new AbortController();
  const onInterrupt = () => stop.abort(new Error("interrupted"));
  process.once("SIGINT", onInterrupt);
  const progress = progressLine(submitted.jobId);
  let job: Job;
  try {
    job = await engine.jobs.wait(submitted.jobId, {
      signal: stop.signal,
      intervalMs: 250,
      maxIntervalMs: 2000,
      onUpdate: progress.update,
      // The job's event stream: status changes and percent progress as they happen (polling has no progress).
      onEvent: progress.event,
    });
  } catch (error) {
    progress.end();
    if (stop.signal.aborted || error instanceof JobWaitTimeoutError) {
      process.stderr.write(
        `Stopped waiting; ${submitted.jobId} goes on. Follow it with: mcp-media-engine jobs get ${submitted.jobId}\n`,
      );
      return 130;
    }
    throw error;
  } finally {
    process.removeListener("SIGINT", onInterrupt);
  }
  progress.end();

  if (job.status !== "completed") {
    process.stderr.write(
      `${job.jobId} ${job.status}${job.error ? `: ${job.error.code}: ${job.error.message}` : ""}\n`,
    );
    if (values.json) process.stdout.write(`${JSON.stringify(job, null, 2)}\n`);
    return 1;
  }
  const asset = job.result?.assets[0];
  if (values.out !== undefined && asset) {
    const response = await fetch(asset.url);
    if (!response.ok) throw new FlagError(`Downloading ${asset.url} answered ${response.status}.`);
    await writeFile(values.out, Buffer.from(await response.arrayBuffer()));
    process.stderr.write(
      `${job.jobId} completed: ${asset.mimeType}, ${asset.bytes} bytes, saved to ${values.out}\n`,
    );
  } else {
    process.stderr.write(`${job.jobId} completed.\n`);
  }
  if (values.json) process.stdout.write(`${JSON.stringify(job, null, 2)}\n`);
  else if (values.out !== undefined) process.stdout.write(`${values.out}\n`);
  else for (const a of job.result?.assets ?? []) process.stdout.write(`${a.url}\n`);
  return 0;
}

async function jobs(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      status: { type: "string" },
      type: { type: "string" },
      model: { type: "string" },
      batch: { type: "string" },
      limit: { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  const [sub, jobId] = positionals;
  const engine = connect();
  switch (sub) {
    case "list": {
      const list = await engine.jobs.list({
        status: values.status as Job["status"] | undefined,
        type: values.type as Job["type"] | undefined,
        model: values.model,
        batchId: values.batch,
        limit: values.limit === undefined ? undefined : integerFlag("limit", values.limit),
      });
      if (values.json) {
        process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        return 0;
      }
      const rows = list.data.map((j) => [
        j.jobId,
        j.type,
        j.model,
        j.status,
        String(j.cost.credits),
        j.createdAt,
      ]);
      process.stdout.write(table([["JOB", "TYPE", "MODEL", "STATUS", "CREDITS", "CREATED"], ...rows]));
      if (list.nextCursor)
        process.stderr.write(`More jobs: --limit or the API's cursor ${list.nextCursor}\n`);
      return 0;
    }
    case "get":
      if (!jobId) throw new FlagError("jobs get takes a job id.");
      process.stdout.write(`${JSON.stringify(await engine.jobs.get(jobId), null, 2)}\n`);
      return 0;
    case "cancel": {
      if (!jobId) throw new FlagError("jobs cancel takes a job id.");
      const job = await engine.jobs.cancel(jobId);
      process.stdout.write(`${job.jobId} ${job.status}\n`);
      return 0;
    }
    default:
      throw new FlagError(`jobs takes list, get or cancel, not "${sub ?? ""}". See jobs --help.`);
  }
}

function integerFlag(flag: string, raw: string): number {
  if (!/^-?\d+$/.test(raw.trim())) throw new FlagError(`--${flag} must be an integer.`);
  return Number(raw);
}

function connect(): MediaEngine {
  const baseUrl = process.env.MME_API_URL;
  const apiKey = process.env.MME_API_KEY;
  if (!baseUrl || !apiKey)
    throw new FlagError(
      "Set MME_API_URL (the engine's address, such as http://127.0.0.1:8787) and MME_API_KEY (your API key).",
    );
  return new MediaEngine({ baseUrl, apiKey });
}

/**
 * While waiting: on a terminal, one line rewritten in place (status, percent and seconds); elsewhere, a line per
 * change of status and per tenth of progress, so logs stay readable.
 */
function progressLine(jobId: string) {
  const started = Date.now();
  const live = process.stderr.isTTY === true;
  const frames = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";
  let frame = 0;
  let last = "";
  let status = "queued";
  let percent: number | undefined;
  const shown = () => (percent === undefined || status !== "processing" ? status : `${status} ${percent}%`);
  const draw = () => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stderr.write(`\r\x1b[K${frames[frame++ % frames.length]} ${jobId} ${shown()} ${seconds}s`);
  };
  const timer = live ? setInterval(draw, 100) : undefined;
  const report = () => {
    // Off a terminal: a line per status, and per tenth of progress.
    const line = percent === undefined ? status : `${status} ${Math.floor(percent / 10) * 10}%`;
    if (!live && line !== last) process.stderr.write(`${jobId} ${line}\n`);
    last = line;
  };
  return {
    update(job: Job) {
      status = job.status;
      if (status !== "processing") percent = undefined;
      report();
    },
    event(event: StreamedJobEvent) {
      if (event.event === "status") status = event.status;
      if (event.event === "job") status = event.job.status;
      if (event.event === "progress" || (event.event === "status" && event.status === "processing"))
        percent = Math.round(event.progress * 100);
      if (status !== "processing") percent = undefined;
      report();
    },
    end() {
      if (timer) {
        clearInterval(timer);
        process.stderr.write("\r\x1b[K");
      }
    },
  };
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map(
      (r) =>
        `${r
          .map((cell, i) => cell.padEnd(widths[i]!))
          .join("  ")
          .trimEnd()}\n`,
    )
    .join("");
}

/** How an API failure reads on a terminal: the contract's code first, so scripts can grep it. */
export function describeClientError(error: unknown): string | undefined {
  if (error instanceof ApiError)
    return `${error.code}: ${error.message}${error.requestId ? ` (request ${error.requestId})` : ""}`;
  if (error instanceof ConnectionError) return error.message;
  return undefined;
}
