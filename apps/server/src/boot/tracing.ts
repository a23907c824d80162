import { register } from "node:module";
import type { TracingEnv } from "../env";

/** The OpenTelemetry Node SDK of this process, once started. */
let sdk: { shutdown(): Promise<void> } | undefined;

/**
 * Starts the OpenTelemetry Node SDK: spans go to `<OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces` as OTLP/HTTP JSON, and
 * the http, pg and undici instrumentations trace HTTP served and sent, queries and provider requests. It must run
 * before the engine's modules are imported (cli.ts imports them after it): instrumentations patch a module as it
 * is loaded, and ESM imports only through the loader hook registered here. Nothing of the SDK is loaded otherwise.
 *
 * Query and provider spans are only made inside a traced operation: graphile-worker's polls, the heartbeat and
 * LISTEN would otherwise each be a trace of their own. The other OTEL_* variables (OTEL_EXPORTER_OTLP_HEADERS,
 * OTEL_TRACES_SAMPLER, OTEL_RESOURCE_ATTRIBUTES, OTEL_BSP_*) are read by the SDK as the specification says.
 */
export async function startTracing(settings: TracingEnv): Promise<void> {
  if (sdk || !settings.OTEL_EXPORTER_OTLP_ENDPOINT) return;
  register("@opentelemetry/instrumentation/hook.mjs", import.meta.url);
  const [
    { NodeSDK },
    { OTLPTraceExporter },
    { HttpInstrumentation },
    { PgInstrumentation },
    { UndiciInstrumentation },
  ] = await Promise.all([
    import("@opentelemetry/sdk-node"),
    import("@opentelemetry/exporter-trace-otlp-http"),
    import("@opentelemetry/instrumentation-http"),
    import("@opentelemetry/instrumentation-pg"),
    import("@opentelemetry/instrumentation-undici"),
  ]);
  const started = new NodeSDK({
    serviceName: settings.OTEL_SERVICE_NAME,
    traceExporter: new OTLPTraceExporter({
      url: `${settings.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, "")}/v1/traces`,
    }),
    // Traces only: this process's metrics are Prometheus's (GET /metrics) and its logs go to stderr.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        // Scrapes and health checks every few seconds are not worth a trace each.
        ignoreIncomingRequestHook: (request) => /^\/(metrics|healthz)(\?|$)/.test(request.url ?? ""),
        requireParentforOutgoingSpans: true,
      }),
      // A span per query; taking a connection from the pool is not worth one of its own.
      new PgInstrumentation({ requireParentSpan: true, ignoreConnectSpans: true }),
      new UndiciInstrumentation({ requireParentforSpans: true }),
    ],
  });
  started.start();
  sdk = started;
}

/** Sends the spans still buffered and stops the SDK; nothing when tracing is off. */
export async function stopTracing(): Promise<void> {
  const running = sdk;
  sdk = undefined;
  await running?.shutdown().catch(() => {});
}
