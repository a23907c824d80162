import {
  type Attributes,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";

/**
 * Tracing through the OpenTelemetry API only: without an SDK (OTEL_EXPORTER_OTLP_ENDPOINT unset) every call here
 * is a no-op and no trace context is ever stored.
 */
export const tracer = trace.getTracer("mcp-media-engine");

/** W3C trace context as it travels in a queue entry's payload, beside the entry's own fields. */
export interface TraceCarrier {
  traceparent?: string;
  tracestate?: string;
}

/** The current span's context, to store with work that another process picks up; undefined when not tracing. */
export function currentTraceCarrier(): TraceCarrier | undefined {
  const carrier: TraceCarrier = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ? carrier : undefined;
}

/**
 * Runs a queue task in a CONSUMER span whose parent is the trace context stored with its entry, so the work
 * joins the trace of whatever queued it. The span records a thrown error and ends when `work` settles.
 */
export function inTaskSpan<T>(
  name: string,
  carrier: TraceCarrier | undefined,
  attributes: Attributes,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = carrier?.traceparent ? propagation.extract(ROOT_CONTEXT, carrier) : ROOT_CONTEXT;
  return tracer.startActiveSpan(name, { kind: SpanKind.CONSUMER, attributes }, parent, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The trace and span ids of the current span, for log lines; undefined when nothing records. */
export function currentTraceIds(): { traceId: string; spanId: string } | undefined {
  const span = trace.getActiveSpan();
  if (!span?.isRecording()) return undefined;
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}
