import { BatchEventsRequest, JobEventsRequest, parseRequest } from "@mcpmediaengine/contract";
import {
  authenticate,
  type EngineContext,
  type OpenedStream,
  openBatchStream,
  openJobStream,
  type RequestScope,
  type SseMessage,
} from "@mcpmediaengine/engine";
import type { Context, Handler } from "hono";
import { databaseUnavailable, sessionEnded } from "../trpc/errors";
import type { AppEnv } from "./rate-limit";

/**
 * GET /v1/jobs/{jobId}/events and GET /v1/jobs/events?batchId=: Server-Sent Events (text/event-stream), outside
 * trpc-to-openapi, which cannot stream; documented in the OpenAPI document by openapi.ts. Authenticated like the
 * rest of /v1 (the rate limiter resolved the caller); another account's job or batch is 404. The stream ends with
 * the job's (or every job's) last event, when the client goes, or when the process stops (`streams`).
 */
export function jobEventRoutes(options: {
  engine: EngineContext;
  baseUrlOf: (request: Request) => string;
  streams?: AbortSignal;
}): { job: Handler<AppEnv>; batch: Handler<AppEnv> } {
  const { engine } = options;
  const open = async (
    c: Context<AppEnv>,
    opener: (args: {
      caller: Awaited<ReturnType<typeof authenticate>>;
      scope: RequestScope;
      signal: AbortSignal;
    }) => Promise<OpenedStream>,
  ) => {
    if (c.get("databaseDown")) throw databaseUnavailable();
    if (!c.get("caller") && c.get("sessionEnded")) throw sessionEnded();
    const caller =
      c.get("caller") ?? (await authenticate({ ctx: engine, authorization: c.req.header("authorization") }));
    const done = new AbortController();
    const signal = AbortSignal.any(
      [c.req.raw.signal, options.streams, done.signal].filter((s): s is AbortSignal => s !== undefined),
    );
    const opened = await opener({ caller, scope: { baseUrl: options.baseUrlOf(c.req.raw) }, signal });
    if (opened.kind === "ended")
      return new Response(null, { status: 204, headers: { "x-request-id": c.get("requestId") } });
    return new Response(sseBody(opened.messages, done), {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        // Proxies such as nginx would otherwise buffer the stream.
        "x-accel-buffering": "no",
        "x-request-id": c.get("requestId"),
      },
    });
  };
  return {
    job: (c) => {
      const { jobId } = parseRequest(JobEventsRequest, { jobId: c.req.param("jobId") });
      return open(c, (args) =>
        openJobStream({ ctx: engine, ...args, jobId, lastEventId: c.req.header("last-event-id") }),
      );
    },
    batch: (c) => {
      const { batchId } = parseRequest(BatchEventsRequest, { batchId: c.req.query("batchId") });
      return open(c, (args) =>
        openBatchStream({ ctx: engine, ...args, batchId, lastEventId: c.req.header("last-event-id") }),
      );
    },
  };
}

/** The messages as an SSE body; the client going away (or the stream ending) returns the generator. */
function sseBody(messages: AsyncGenerator<SseMessage>, done: AbortController): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      // Clients wait this long before reconnecting after a drop (the SSE `retry` field).
      controller.enqueue(encoder.encode("retry: 1000\n\n"));
    },
    async pull(controller) {
      try {
        const next = await messages.next();
        if (next.done) return controller.close();
        controller.enqueue(encoder.encode(encodeSse(next.value)));
      } catch (error) {
        // Headers are sent: the stream can only end; the client resumes with Last-Event-ID.
        controller.error(error);
      }
    },
    async cancel() {
      done.abort();
      await messages.return(undefined);
    },
  });
}

export function encodeSse(message: SseMessage): string {
  if (message.comment !== undefined) return `: ${message.comment}\n\n`;
  let out = "";
  if (message.id !== undefined) out += `id: ${message.id}\n`;
  if (message.event !== undefined) out += `event: ${message.event}\n`;
  if (message.data !== undefined) for (const line of message.data.split("\n")) out += `data: ${line}\n`;
  return `${out}\n`;
}
