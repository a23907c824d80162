// First: for MCP on stdio it answers the host's initialize before the rest loads (see stdio/front.mjs).
import "./stdio/autostart.mjs";
import { helpFor } from "./commands/usage";

// The CLI's entry. Help and the API client commands (generate, jobs) load neither the engine nor main.ts: they
// must start in a moment. Tracing, when OTEL_EXPORTER_OTLP_ENDPOINT asks for it, starts before the engine's
// modules are loaded (they are imported below, after it), so its instrumentations see pg and http load; commands
// that run no engine and serve nothing are not traced.
const argv = process.argv.slice(2);
const help = await helpFor(argv);
if (help !== undefined) {
  process.stdout.write(help);
} else if (argv[0] === "generate" || argv[0] === "jobs") {
  const { runClientCli } = await import("./commands/client");
  runClientCli(argv[0], argv.slice(1));
} else {
  const { readTracingEnv } = await import("./env");
  const tracing = readTracingEnv();
  if (tracing && (argv[0] === undefined || argv[0] === "mcp" || argv[0] === "start"))
    await (await import("./boot/tracing")).startTracing(tracing);
  const { run } = await import("./main");
  run(argv);
}
