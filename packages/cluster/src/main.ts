import { formatReport, passed } from "./report";
import { DEFAULT_OPTIONS, PROCESSES, runCluster } from "./run";

// pnpm cluster: about a minute and a half; at most five, clean-up included.
const interrupt = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (interrupt.signal.aborted) process.exit(130);
    process.stderr.write(`\n${signal}: stopping the cluster run and cleaning up…\n`);
    interrupt.abort(`interrupted (${signal})`);
  });
}

const result = await runCluster(DEFAULT_OPTIONS, { signal: interrupt.signal });
process.stdout.write(`\n${formatReport(result, PROCESSES.length)}`);
process.exit(interrupt.signal.aborted ? 130 : passed(result, PROCESSES.length) ? 0 : 1);
