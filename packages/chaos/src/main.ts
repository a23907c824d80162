import { FULL_RUN, SHORT_RUN } from "./options";
import { formatReport, passed } from "./report";
import { runChaos } from "./run";

// pnpm chaos            the full run (about four and a half minutes at most)
// pnpm chaos --short    the run pnpm test makes (about a minute and a half)
const options = process.argv.includes("--short") ? SHORT_RUN : FULL_RUN;

// Ctrl-C (or SIGTERM) stops the run and cleans up; a second one leaves the rest to the janitor.
const interrupt = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (interrupt.signal.aborted) process.exit(130);
    process.stderr.write(`\n${signal}: stopping the chaos run and cleaning up…\n`);
    interrupt.abort(`interrupted (${signal})`);
  });
}

const result = await runChaos(options, { signal: interrupt.signal });
process.stdout.write(`\n${formatReport(result)}`);
process.exit(interrupt.signal.aborted ? 130 : passed(result) ? 0 : 1);
