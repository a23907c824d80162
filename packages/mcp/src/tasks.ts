import { randomUUID } from "node:crypto";
import { AppError, isTerminalStatus, type Job } from "@mcpmediaengine/contract";
import type {
  CreateTaskOptions,
  TaskStore,
} from "@modelcontextprotocol/sdk/experimental/tasks/interfaces.js";
import {
  type CallToolResult,
  isTaskAugmentedRequestParams,
  type Request,
  type Task,
} from "@modelcontextprotocol/sdk/types.js";
import type { MediaBackend } from "./backend";
import { jobResult } from "./results";

/** How often a host should look at a running task. */
const POLL_INTERVAL_MS = 1000;
/** How long the answer to a submission refused before any job existed stays readable as a failed task. */
const REFUSED_KEPT_MS = 10 * 60_000;
const REFUSED_PREFIX = "refused-";

/**
 * MCP Tasks over our jobs: a task is a job, under the job's id, so `tasks/get`, `tasks/result`, `tasks/cancel`
 * and `tasks/list` read and cancel the job itself and nothing is kept in memory but refusals. The store belongs
 * to one caller's server, so a task is only ever looked up among that account's jobs.
 */
export class JobTaskStore implements TaskStore {
  private readonly refused = new Map<string, { task: Task; result: CallToolResult; until: number }>();

  constructor(
    private readonly backend: MediaBackend,
    private readonly log?: (message: string) => void,
  ) {}

  /**
   * Called by a generate tool once its job exists (`context.jobId`), or with `context.refusal` when the submission
   * was refused. A call that was not task-augmented is answered at once with the job: its task is reported ended,
   * since the SDK would otherwise hold the call until the job ends (which is what wait_for_job is for).
   */
  async createTask(params: CreateTaskOptions, _requestId: unknown, request: Request): Promise<Task> {
    const augmented = isTaskAugmentedRequestParams(request.params) && request.params.task !== undefined;
    const refusal = params.context?.refusal as CallToolResult | undefined;
    if (refusal) {
      const now = new Date().toISOString();
      const task: Task = {
        taskId: `${REFUSED_PREFIX}${randomUUID()}`,
        status: "failed",
        statusMessage: "The job was refused.",
        ttl: REFUSED_KEPT_MS,
        createdAt: now,
        lastUpdatedAt: now,
      };
      this.sweep();
      this.refused.set(task.taskId, { task, result: refusal, until: Date.now() + REFUSED_KEPT_MS });
      return task;
    }
    const task = asTask(await this.backend.getJob(String(params.context?.jobId)));
    return augmented ? task : { ...task, status: "completed" };
  }

  async getTask(taskId: string): Promise<Task | null> {
    const refused = this.refused.get(taskId);
    if (refused) return refused.task;
    const job = await this.findJob(taskId);
    return job ? asTask(job) : null;
  }

  /** Results are the jobs' own; there is nothing to store. */
  async storeTaskResult(): Promise<void> {}

  async getTaskResult(taskId: string): Promise<CallToolResult> {
    const refused = this.refused.get(taskId);
    if (refused) return refused.result;
    const job = await this.findJob(taskId);
    if (!job) throw new AppError("not_found", `No task ${taskId}.`);
    return jobResult(job, this.backend, this.log);
  }

  async updateTaskStatus(taskId: string, status: Task["status"]): Promise<void> {
    if (status !== "cancelled") return;
    try {
      await this.backend.cancelJob(taskId);
    } catch (error) {
      // It ended meanwhile: its task simply reports how.
      if (!(error instanceof AppError && error.code === "job_not_cancelable")) throw error;
    }
  }

  async listTasks(cursor?: string): Promise<{ tasks: Task[]; nextCursor?: string }> {
    const page = await this.backend.listJobs({ limit: 20, ...(cursor && { cursor }) });
    return { tasks: page.data.map(asTask), ...(page.nextCursor && { nextCursor: page.nextCursor }) };
  }

  private async findJob(taskId: string): Promise<Job | undefined> {
    try {
      return await this.backend.getJob(taskId);
    } catch (error) {
      if (error instanceof AppError && (error.code === "not_found" || error.code === "invalid_request")) {
        return undefined;
      }
      throw error;
    }
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, entry] of this.refused) if (entry.until < now) this.refused.delete(id);
  }
}

/** A job as the task it is. */
function asTask(job: Job): Task {
  const status: Task["status"] = !isTerminalStatus(job.status)
    ? "working"
    : job.status === "completed"
      ? "completed"
      : job.status === "failed"
        ? "failed"
        : "cancelled";
  return {
    taskId: job.jobId,
    status,
    statusMessage: job.error ? `${job.error.code}: ${job.error.message}` : `The job is ${job.status}.`,
    ttl: null,
    createdAt: job.createdAt,
    lastUpdatedAt: job.completedAt ?? job.startedAt ?? job.createdAt,
    pollInterval: POLL_INTERVAL_MS,
  };
}
