import {
  Account,
  AudioJobRequest,
  CancelJobRequest,
  type CreateJobRequest,
  GetJobRequest,
  ImageJobRequest,
  isTerminalStatus,
  Job,
  JobEstimate,
  JobList,
  ListJobsRequest,
  VideoJobRequest,
} from "@mcpmediaengine/contract";
import type {
  CreateTaskRequestHandlerExtra,
  TaskRequestHandlerExtra,
} from "@modelcontextprotocol/sdk/experimental/tasks/interfaces.js";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { CallToolResult, ServerNotification, ServerRequest } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { APP_LINK } from "./app-resource";
import type { MediaBackend } from "./backend";
import { flatJobRequest } from "./job-request-schema";
import { jobListResult } from "./list-result";
import { errorResult, jobResult, valueResult } from "./results";

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

const POLL_MS = 250;

export const WaitForJobRequest = GetJobRequest.extend({
  timeoutSeconds: z
    .number()
    .int()
    .min(1)
    .max(50)
    .default(25)
    .describe(
      "How long to wait at most, 1 to 50 seconds. Default 25. Call again if the job is still running.",
    ),
});

const FOLLOW =
  "It returns at once with the job (status queued); then call wait_for_job with its jobId until the job is completed, failed or canceled, and read the linked asset.";

export interface ToolOptions {
  log?: (message: string) => void;
}

/** The contract's operations as MCP tools. Input and output schemas are the contract's; none is written here. */
export function registerTools(server: McpServer, backend: MediaBackend, options: ToolOptions = {}): void {
  const run = async (work: () => Promise<CallToolResult>): Promise<CallToolResult> => {
    try {
      return await work();
    } catch (error) {
      return errorResult(error, options.log);
    }
  };
  // The generate tools are task tools with optional support: a host that speaks MCP Tasks gets a task bound to
  // the job (see JobTaskStore); any other gets the job at once, as from a plain tool.
  // The SDK hands task tools their arguments untyped (validated already): the contract's schema types them.
  const generateTask = (schema: z.ZodType<Parameters<MediaBackend["submit"]>[0]>) => ({
    createTask: async (args: unknown, extra: CreateTaskRequestHandlerExtra) => {
      let context: Record<string, unknown>;
      try {
        const job = await backend.submit(schema.parse(args));
        context = { jobId: job.jobId };
      } catch (error) {
        context = { refusal: errorResult(error, options.log) };
      }
      return { task: await extra.taskStore.createTask({ ttl: null, context }) };
    },
    getTask: async (_args: unknown, extra: TaskRequestHandlerExtra) => extra.taskStore.getTask(extra.taskId),
    getTaskResult: async (_args: unknown, extra: TaskRequestHandlerExtra) =>
      (await extra.taskStore.getTaskResult(extra.taskId)) as CallToolResult,
  });
  const generating = {
    readOnlyHint: false,
    destructiveHint: false,
    idempotentHint: false,
    openWorldHint: false,
  };
  const tasks = server.experimental.tasks;

  tasks.registerToolTask(
    "generate_image",
    {
      title: "Generate an image",
      description: `Generate an image from a prompt: a blog hero, a product shot, a social post or a free-size illustration (presets: blog_thumbnail is a 1200×630 card with the prompt typeset as its title; product_shot a 1024×1024 studio shot; social_post a 1080×1080 post). ${FOLLOW} Costs credits: estimate_cost tells how many.`,
      inputSchema: ImageJobRequest.omit({ type: true }),
      outputSchema: Job,
      annotations: generating,
      execution: { taskSupport: "optional" },
      _meta: APP_LINK,
    },
    generateTask(ImageJobRequest.omit({ type: true }).transform((a) => ({ type: "image" as const, ...a }))),
  );
  tasks.registerToolTask(
    "generate_video",
    {
      title: "Generate a video clip",
      description: `Generate a short video clip (1–15 s, MP4 with H.264 and AAC, 16:9, 9:16 or 1:1) from a prompt: a key image with camera motion and captions, with an optional voiceover spoken from a script; a poster image comes with it. ${FOLLOW} Costs credits per second: estimate_cost tells how many.`,
      inputSchema: VideoJobRequest.omit({ type: true }),
      outputSchema: Job,
      annotations: generating,
      execution: { taskSupport: "optional" },
      _meta: APP_LINK,
    },
    generateTask(VideoJobRequest.omit({ type: true }).transform((a) => ({ type: "video" as const, ...a }))),
  );
  tasks.registerToolTask(
    "generate_audio",
    {
      title: "Generate speech",
      description: `Speak a text aloud: preset speech (conversational) or voiceover (narration with pauses between sentences), a choice of voices (GET /v1/models lists each model's), speed and pitch; WAV, MP3, Opus or AAC, with SRT and WebVTT captions timed to the words. ${FOLLOW} Costs credits per 1,000 characters.`,
      inputSchema: AudioJobRequest.omit({ type: true }),
      outputSchema: Job,
      annotations: generating,
      execution: { taskSupport: "optional" },
      _meta: APP_LINK,
    },
    generateTask(AudioJobRequest.omit({ type: true }).transform((a) => ({ type: "audio" as const, ...a }))),
  );
  server.registerTool(
    "get_job_status",
    {
      title: "Get a job's status",
      description:
        "Look once at a job: its status and, once completed, its assets (linked as resources, with a preview). To wait for a running job, use wait_for_job instead.",
      inputSchema: GetJobRequest,
      outputSchema: Job,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (args) => run(async () => jobResult(await backend.getJob(args.jobId), backend, options.log)),
  );
  server.registerTool(
    "wait_for_job",
    {
      title: "Wait for a job",
      description:
        "Wait until a job has completed, failed or been canceled, or until timeoutSeconds have passed (sending progress if you asked for it), then return the job as it stands. If it is still queued or processing, call again.",
      inputSchema: WaitForJobRequest,
      outputSchema: Job,
      annotations: { readOnlyHint: true, openWorldHint: false },
      _meta: APP_LINK,
    },
    (args, extra) =>
      run(async () =>
        jobResult(
          await waitFor(backend, args.jobId, args.timeoutSeconds * 1000, extra),
          backend,
          options.log,
        ),
      ),
  );
  server.registerTool(
    "list_jobs",
    {
      title: "List jobs",
      description:
        "List your jobs, newest first, filtered by status, type, model, batch or creation time; pass nextCursor as cursor for the next page.",
      inputSchema: ListJobsRequest,
      outputSchema: JobList,
      annotations: { readOnlyHint: true, openWorldHint: false },
      _meta: APP_LINK,
    },
    (args) => run(async () => jobListResult(await backend.listJobs(args))),
  );
  server.registerTool(
    "cancel_job",
    {
      title: "Cancel a job",
      description:
        "Cancel a job that has not ended; its credits come back. A job that has already ended answers job_not_cancelable.",
      inputSchema: CancelJobRequest,
      outputSchema: Job,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    (args) => run(async () => jobResult(await backend.cancelJob(args.jobId), backend, options.log)),
  );
  server.registerTool(
    "estimate_cost",
    {
      title: "Estimate a job's cost",
      description:
        "What a job would cost in credits, and whether its model can run here, without submitting it: give `type` (image, video or audio) and the same fields as that type's generate tool. Compare with get_account's balance.",
      inputSchema: flatJobRequest(),
      outputSchema: JobEstimate,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (args) =>
      run(async () => {
        // The backend parses it with JobRequest (the flat schema lets every type's fields through).
        const estimate = await backend.estimate(args as CreateJobRequest);
        return valueResult(estimate, `This job would cost ${estimate.credits} credits on ${estimate.model}.`);
      }),
  );
  server.registerTool(
    "get_account",
    {
      title: "Get your account",
      description:
        "Your plan, credit balance, credits held by running jobs, this month's use and your limits.",
      inputSchema: z.object({}),
      outputSchema: Account,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    () =>
      run(async () => {
        const account = await backend.account();
        return valueResult(account, `Plan ${account.plan}; balance ${account.balance} credits.`);
      }),
  );
}

/**
 * Polls the job until it ends or `timeoutMs` passes, sending notifications/progress when the caller gave a
 * progress token: the job's own progress in percent (total 100), sent when it moves or the status changes, always
 * increasing as the protocol asks. Stops early if the call is cancelled.
 */
async function waitFor(backend: MediaBackend, jobId: string, timeoutMs: number, extra: Extra): Promise<Job> {
  const token = extra._meta?.progressToken;
  const deadline = Date.now() + timeoutMs;
  let job = await backend.getJob(jobId);
  let sent = -1;
  let lastStatus = "";
  const report = async () => {
    const percent = Math.round(job.progress * 1000) / 10;
    if (token === undefined || (percent <= sent && job.status === lastStatus)) return;
    sent = Math.max(percent, Math.round((sent + 0.1) * 10) / 10);
    lastStatus = job.status;
    await extra.sendNotification({
      method: "notifications/progress",
      params: { progressToken: token, progress: sent, total: 100, message: `Job ${jobId} is ${job.status}.` },
    });
  };
  while (!isTerminalStatus(job.status) && Date.now() < deadline && !extra.signal.aborted) {
    await report();
    await new Promise((resolve) =>
      setTimeout(resolve, Math.min(POLL_MS, Math.max(0, deadline - Date.now()))),
    );
    job = await backend.getJob(jobId);
  }
  await report();
  return job;
}
