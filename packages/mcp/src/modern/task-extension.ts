import { AppError, isTerminalStatus, type Job } from "@mcpmediaengine/contract";
import {
  CLIENT_CAPABILITIES_META_KEY,
  type McpServer,
  MissingRequiredClientCapabilityError,
  ProtocolError,
  ProtocolErrorCode,
  type ServerContext,
} from "@modelcontextprotocol/server";
import { z } from "zod";
import type { MediaBackend } from "../backend";
import { errorResult, jobResult } from "../results";
import type { ToolOptions } from "../tools";
import { ImmediateTaskStore, type TaskTool } from "./tool-host";

export const TASKS_EXTENSION = "io.modelcontextprotocol/tasks";

/** How often a host should poll a running task. */
export const POLL_INTERVAL_MS = 1000;

type Handler = (request: { params: Record<string, unknown> }, ctx: ServerContext) => Promise<unknown>;

const TaskParams = z.object({ taskId: z.string().describe("The task's id, which is its job's id.") });
const Ack = z.looseObject({});

/** The client declared the Tasks extension in this request's `_meta` capabilities. */
export function declaresTasks(ctx: ServerContext): boolean {
  const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
  const capabilities = envelope?.[CLIENT_CAPABILITIES_META_KEY] as
    | { extensions?: Record<string, unknown> }
    | undefined;
  return capabilities?.extensions?.[TASKS_EXTENSION] !== undefined;
}

/**
 * The Tasks extension (`io.modelcontextprotocol/tasks`, SEP-2663) over our jobs, on 2026-07-28 requests: a
 * generate tool called by a client that declares the extension answers with a task (`resultType: "task"`) whose
 * id is the job's, created durably (the job row) before the answer; `tasks/get` reads the job (with the tool's
 * result once it has ended), `tasks/cancel` cancels it and `tasks/update` acknowledges (our jobs never ask for
 * input). A client that does not declare it gets the job at once, as today. The server's backend is one
 * caller's, so a task is only ever found among that account's jobs.
 */
export function serveTasksExtension(
  server: McpServer,
  backend: MediaBackend,
  taskTools: Map<string, TaskTool>,
  options: ToolOptions,
): void {
  // The SDK's own tools/call validates a CallToolResult; a task result is another shape, answered before it.
  const handlers = (server.server as unknown as { _requestHandlers: Map<string, Handler> })._requestHandlers;
  const original = handlers.get("tools/call");
  if (!original) throw new Error("register the tools before the Tasks extension");
  handlers.set("tools/call", async (request, ctx) => {
    const tool = taskTools.get(String(request.params.name));
    if (!tool || !declaresTasks(ctx)) return original(request, ctx);
    const args = tool.inputSchema.safeParse(request.params.arguments ?? {});
    if (!args.success) {
      return {
        isError: true,
        content: [
          { type: "text", text: `Invalid arguments for ${request.params.name}: ${args.error?.message}` },
        ],
      };
    }
    const store = new ImmediateTaskStore();
    await tool.handler.createTask(args.data, { taskStore: store });
    // A refused submission made no job: it is answered as a plain (error) result, which the extension allows.
    if (!store.jobId) return store.refusal;
    return { resultType: "task", ...wireTask(await backend.getJob(store.jobId)) };
  });

  // The tasks/* methods belong to the extension: a client that did not declare it is refused with -32021, before
  // its params are even read. Params are checked here, after that.
  const handle = (method: string, answer: (taskId: string) => Promise<Record<string, unknown>>) =>
    server.server.setRequestHandler(method, { params: Ack, result: Ack }, (params, ctx) =>
      answer(taskIdOf(params, ctx)),
    );
  handle("tasks/get", async (taskId) => {
    const job = await findJob(backend, taskId);
    const task = wireTask(job);
    if (task.status !== "completed") return task;
    const result = await jobResult(job, backend, options.log);
    // A job that failed is a tool result with isError (a JSON-RPC error alone would make the task "failed").
    return { ...task, result: job.status === "failed" ? { ...result, isError: true } : result };
  });
  // Our jobs never ask for input: an update is acknowledged and its responses ignored, as the extension asks.
  handle("tasks/update", async (taskId) => {
    await findJob(backend, taskId);
    return {};
  });
  handle("tasks/cancel", async (taskId) => {
    try {
      await backend.cancelJob(taskId);
    } catch (error) {
      if (error instanceof AppError && error.code === "job_not_cancelable") return {}; // it ended meanwhile
      if (isUnknown(error)) throw noTask(taskId);
      throw asProtocolError(error, options);
    }
    return {};
  });
}

/** The task a tasks/* request names, once the client is known to speak the extension. */
function taskIdOf(params: unknown, ctx: ServerContext): string {
  if (!declaresTasks(ctx)) {
    throw new MissingRequiredClientCapabilityError({
      requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } },
    });
  }
  const parsed = TaskParams.safeParse(params);
  if (!parsed.success) throw new ProtocolError(ProtocolErrorCode.InvalidParams, "taskId is required.");
  return parsed.data.taskId;
}

/** A job as the extension's Task. Jobs are kept for ever (retention deletes assets, not jobs): no TTL. */
function wireTask(job: Job) {
  const status = !isTerminalStatus(job.status)
    ? "working"
    : job.status === "canceled"
      ? "cancelled"
      : "completed";
  return {
    taskId: job.jobId,
    status,
    statusMessage: job.error ? `${job.error.code}: ${job.error.message}` : `The job is ${job.status}.`,
    createdAt: job.createdAt,
    lastUpdatedAt: job.completedAt ?? job.startedAt ?? job.createdAt,
    ttlMs: null,
    pollIntervalMs: POLL_INTERVAL_MS,
  };
}

async function findJob(backend: MediaBackend, taskId: string): Promise<Job> {
  try {
    return await backend.getJob(taskId);
  } catch (error) {
    if (isUnknown(error)) throw noTask(taskId);
    throw error;
  }
}

function isUnknown(error: unknown): boolean {
  return error instanceof AppError && (error.code === "not_found" || error.code === "invalid_request");
}

function noTask(taskId: string): ProtocolError {
  return new ProtocolError(ProtocolErrorCode.InvalidParams, `No task ${taskId}.`);
}

function asProtocolError(error: unknown, options: ToolOptions): ProtocolError {
  const text = (errorResult(error, options.log).content[0] as { text: string }).text;
  return new ProtocolError(ProtocolErrorCode.InternalError, text);
}
