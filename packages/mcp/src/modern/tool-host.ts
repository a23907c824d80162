import type { McpServer as McpServerV1 } from "@modelcontextprotocol/sdk/server/mcp.js";
import {
  type McpServer,
  type ServerContext,
  ResourceTemplate as TemplateV2,
} from "@modelcontextprotocol/server";
import type { MediaBackend } from "../backend";
import { registerResources } from "../resources";
import { jobResult } from "../results";
import { registerTools, type ToolOptions } from "../tools";

/** What a task tool registered through `experimental.tasks.registerToolTask` hands over. */
export interface TaskTool {
  /** The tool's input schema, which the Tasks path checks itself (it answers before the SDK's tool handler). */
  inputSchema: {
    safeParse(value: unknown): { success: boolean; data?: unknown; error?: { message: string } };
  };
  handler: { createTask(args: unknown, extra: unknown): Promise<unknown> };
}

type AnyHandler = (...args: unknown[]) => unknown;

/**
 * The same tools and resources on a 2.x server (protocol 2026-07-28), registered by the very functions that
 * build the 1.x server (`registerTools`, `registerResources`): this host takes the part of the 1.x `McpServer`
 * API they use and registers each tool and resource on the 2.x server, so one list of tools serves both
 * revisions and nothing in tools.ts knows which it is on. Handlers get a 1.x-shaped `extra` (`_meta`, `signal`,
 * `sendNotification`) built from the 2.x context. A generate tool (a 1.x task tool) becomes a plain tool that
 * answers with the job at once, as it does for a 1.x client that does not speak Tasks; its task handler is kept
 * in `taskTools` for the Tasks extension (task-extension.ts).
 */
export function registerOnModernServer(
  server: McpServer,
  backend: MediaBackend,
  options: ToolOptions,
): Map<string, TaskTool> {
  const taskTools = new Map<string, TaskTool>();
  const registerTool = (name: string, config: Record<string, unknown>, handler: AnyHandler) => {
    // 1.x's `execution.taskSupport` is the 2025-11-25 Tasks vocabulary, which 2026-07-28 tool lists do not have.
    const { execution: _execution, ...rest } = config;
    server.registerTool(
      name,
      rest as never,
      ((args: unknown, ctx: ServerContext) => handler(args, extraOf(ctx))) as never,
    );
  };
  const host = {
    registerTool,
    experimental: {
      tasks: {
        registerToolTask(name: string, config: Record<string, unknown>, handler: TaskTool["handler"]) {
          taskTools.set(name, { inputSchema: config.inputSchema as TaskTool["inputSchema"], handler });
          registerTool(name, config, async (args, extra) => {
            // Answered at once with the job, exactly as the 1.x store does for a call that asked for no task.
            const store = new ImmediateTaskStore();
            await handler.createTask(args, { ...(extra as object), taskStore: store });
            return store.result(backend, options);
          });
        },
      },
    },
    // A fixed URI (a string, such as a `ui://` page) or a 1.x ResourceTemplate, whose pattern is rebuilt as 2.x's.
    registerResource(
      name: string,
      uriOrTemplate: string | { uriTemplate: { toString(): string } },
      metadata: Record<string, unknown>,
      read: AnyHandler,
    ) {
      if (typeof uriOrTemplate === "string") {
        server.registerResource(
          name,
          uriOrTemplate,
          metadata as never,
          ((uri: URL, ctx: ServerContext) => read(uri, extraOf(ctx))) as never,
        );
        return;
      }
      server.registerResource(
        name,
        new TemplateV2(uriOrTemplate.uriTemplate.toString(), { list: undefined }),
        metadata as never,
        ((uri: URL, variables: unknown, ctx: ServerContext) => read(uri, variables, extraOf(ctx))) as never,
      );
    },
  };
  const asV1 = host as unknown as McpServerV1;
  registerTools(asV1, backend, options);
  registerResources(asV1, backend);
  return taskTools;
}

/** The 1.x handler `extra` a tool reads, from a 2.x request context. */
function extraOf(ctx: ServerContext) {
  return {
    _meta: ctx.mcpReq._meta,
    signal: ctx.mcpReq.signal,
    requestId: ctx.mcpReq.id,
    sendNotification: (notification: { method: string; params?: Record<string, unknown> }) =>
      ctx.mcpReq.notify(notification as never),
  };
}

/** A task store for one call: it only remembers what the generate tool made (a job, or a refusal). */
export class ImmediateTaskStore {
  private context: Record<string, unknown> = {};

  async createTask(params: { context?: Record<string, unknown> }) {
    this.context = params.context ?? {};
    return { taskId: String(this.context.jobId ?? "refused") };
  }

  get jobId(): string | undefined {
    return this.context.refusal ? undefined : (this.context.jobId as string | undefined);
  }

  get refusal(): unknown {
    return this.context.refusal;
  }

  async result(backend: MediaBackend, options: ToolOptions) {
    if (this.context.refusal) return this.context.refusal;
    return jobResult(await backend.getJob(String(this.context.jobId)), backend, options.log);
  }
}
