import { existsSync } from "node:fs";
import { expect, test } from "vitest";
import { SHORT_RUN } from "../src/options";
import { formatReport } from "../src/report";
import { runChaos } from "../src/run";

// The short version of `pnpm chaos`, with its checks as the assertions: real processes, a real Postgres of its own,
// kill -9 of a worker (its jobs on their last attempt) and of an API process, and a webhook receiver outage.
test(
  "under kill -9 of a worker and an API process and a webhook outage, no job is lost, doubled or charged wrong",
  async () => {
    const result = await runChaos(SHORT_RUN, { log: (line) => process.stderr.write(`${line}\n`) });
    process.stdout.write(formatReport(result));

    expect(result.stoppedEarly).toBeUndefined();
    expect(result.collected?.faults.filter((f) => f.skipped || f.error)).toEqual([]);
    expect(result.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`)).toEqual([]);
    // Nothing of the run is left on the machine.
    expect(result.cleanupProblems).toEqual([]);
    expect(existsSync(result.root)).toBe(false);
  },
  SHORT_RUN.deadlineMs + 60_000,
);
