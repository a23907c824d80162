// First: for MCP on stdio it answers the host's initialize before the rest loads (see stdio/front.mjs).
import "./stdio/autostart.mjs";
import { startTracing } from "./boot/tracing";
import { readTracingEnv } from "./env";

// The CLI's entry. Tracing, when OTEL_EXPORTER_OTLP_ENDPOINT asks for it, starts before the engine's modules are
// loaded (they are imported below, after it), so its instrumentations see pg and http load; commands that run no
// engine and serve nothing are not traced.
const argv = process.argv.slice(2);
const tracing = readTracingEnv();
if (tracing && (argv[0] === undefined || argv[0] === "mcp" || argv[0] === "start"))
  await startTracing(tracing);
const { run } = await import("./main");
run(argv);
