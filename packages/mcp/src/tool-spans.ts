import {
  type Attributes,
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";

const tracer = trace.getTracer("mcp-media-engine");

type Handler = (request: ToolCall, extra: CallExtra) => Promise<unknown>;

interface ToolCall {
  params: { name: string; _meta?: Record<string, unknown> };
}

/** The handler's second argument: the 1.x SDK's `extra`, or the 2.x SDK's context (`mcpReq`, `http`). */
interface CallExtra {
  sessionId?: string;
  requestId?: string | number;
  /** Present when the call came over HTTP (1.x). */
  requestInfo?: unknown;
  mcpReq?: { id?: string | number };
  /** Present when the call came over HTTP (2.x). */
  http?: unknown;
}

/**
 * Makes every `tools/call` a span, as the OpenTelemetry MCP semantic conventions name it (`tools/call <tool>`,
 * kind SERVER, `mcp.method.name`, `gen_ai.tool.name`, `gen_ai.operation.name` execute_tool, `jsonrpc.request.id`,
 * `mcp.session.id`, `network.transport`). Its parent is the trace context the client put in `params._meta`
 * (`traceparent`, `tracestate`), else the transport's (the HTTP request); with both, the transport's is linked. A
 * result with `isError` sets `error.type` to tool_error and the span's status to ERROR. It wraps the SDK's own
 * tools/call handler, so input the SDK refuses and tools run as tasks are covered too. No-ops without an
 * OpenTelemetry SDK. Both SDKs keep their handlers in the same map, so it serves the 1.x server and the 2.x one.
 */
export function traceToolCalls(server: { server: unknown }): void {
  const handlers = (server.server as unknown as { _requestHandlers?: Map<string, Handler> })._requestHandlers;
  const original = handlers?.get("tools/call");
  if (!handlers || !original) return;
  handlers.set("tools/call", (request, extra) => {
    const name = request.params.name;
    const meta = request.params._meta ?? {};
    const carrier = typeof meta.traceparent === "string" ? meta : undefined;
    const ambient = trace.getSpanContext(context.active());
    const parent = carrier ? propagation.extract(ROOT_CONTEXT, carrier) : context.active();
    const overHttp = extra.requestInfo !== undefined || extra.http !== undefined;
    const requestId = extra.requestId ?? extra.mcpReq?.id;
    const attributes: Attributes = {
      "mcp.method.name": "tools/call",
      "gen_ai.tool.name": name,
      "gen_ai.operation.name": "execute_tool",
      "network.transport": overHttp ? "tcp" : "pipe",
      ...(overHttp && { "network.protocol.name": "http" }),
      ...(requestId !== undefined && { "jsonrpc.request.id": String(requestId) }),
      ...(extra.sessionId && { "mcp.session.id": extra.sessionId }),
    };
    const links = carrier && ambient ? [{ context: ambient }] : [];
    return tracer.startActiveSpan(
      `tools/call ${name}`,
      { kind: SpanKind.SERVER, attributes, links },
      parent,
      async (span) => {
        try {
          const result = await original(request, extra);
          if ((result as { isError?: unknown } | undefined)?.isError === true) {
            span.setAttribute("error.type", "tool_error");
            span.setStatus({ code: SpanStatusCode.ERROR, message: firstText(result) });
          }
          return result;
        } catch (error) {
          span.setAttribute("error.type", (error as { code?: unknown })?.code?.toString() ?? "_OTHER");
          span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  });
}

function firstText(result: unknown): string | undefined {
  const content = (result as { content?: { type?: string; text?: string }[] }).content;
  return content?.find((c) => c.type === "text")?.text?.slice(0, 300);
}
