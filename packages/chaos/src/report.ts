import { acknowledged, answered, type Check, type Collected, percent, splitByOutage } from "./checks";
import type { ChaosOptions } from "./options";

/** The run's outcome: what was collected, the verdicts, and how the run itself went. */
export interface ChaosResult {
  options: ChaosOptions;
  startedAt: number;
  endedAt: number;
  /** Undefined when the run stopped before the load (a start-up failure). */
  collected?: Collected;
  checks: Check[];
  /** Why the run stopped early: the deadline, an interrupt or a harness error. */
  stoppedEarly?: string;
  /** Seconds from the end of the load until every job had ended and every webhook had come (or the wait ended). */
  drainSeconds?: number;
  /** What the clean-up could not undo. */
  cleanupProblems: string[];
  /** The run's temp folder (removed at the end). */
  root: string;
}

export function passed(result: ChaosResult): boolean {
  return (
    result.stoppedEarly === undefined &&
    result.checks.length > 0 &&
    result.checks.every((c) => c.ok) &&
    result.cleanupProblems.length === 0
  );
}

/** The printed report: the figures, the faults as they happened, then each check. */
export function formatReport(result: ChaosResult): string {
  const out: string[] = [];
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  out.push(`chaos run "${result.options.name}": ${seconds(result.endedAt - result.startedAt)}`);
  const c = result.collected;
  if (c) {
    const t0 = c.loadStartedAt;
    const acked = acknowledged(c.submitted);
    const statuses = acked.map((s) => c.db.jobs.get(s.jobId!));
    const count = (status: string) => statuses.filter((j) => j?.status === status).length;
    const failedBy = tally(statuses.filter((j) => j?.status === "failed").map((j) => j!.errorCode ?? "none"));
    const canceledStarted = statuses.filter((j) => j?.status === "canceled" && j.started).length;
    const refused = tally(c.submitted.filter((s) => s.refused).map((s) => s.refused!));
    // No attempt got a 202 or a refusal: no answer, 5xx, 429 or a busy key each time, until the retries ran out.
    const unacknowledged = c.submitted.filter((s) => !s.jobId && !s.refused).length;
    out.push(
      `jobs submitted ${c.submitted.length}: acknowledged ${acked.length}, refused ${sum(refused)}${list(refused)}, never acknowledged ${unacknowledged}`,
      `  completed ${count("completed")}; failed ${count("failed")}${list(failedBy)}; canceled ${count("canceled")} (${canceledStarted} after they started)`,
      `  acknowledged by kind: ${pairs(tally(acked.map((s) => s.kind)))}`,
      `webhooks: ${c.webhooks.deliveries} deliveries received, ${c.webhooks.unverified} unverified`,
    );
    const { outside, during } = splitByOutage(c.requests, c.faults);
    const share = (rs: typeof outside) =>
      rs.length === 0 ? "no requests" : `${percent(rs.filter(answered).length / rs.length)} of ${rs.length}`;
    const failures = (rs: typeof outside) =>
      pairs(
        tally(rs.filter((r) => !answered(r)).map((r) => `${r.method} ${r.route} ${r.status ?? r.error}`)),
      );
    out.push(
      `API answered (not 5xx, after fail-over): ${share(outside)} outside the Postgres restart; ${share(during)} during it`,
    );
    for (const [where, rs] of [
      ["outside", outside],
      ["during", during],
    ] as const) {
      if (rs.some((r) => !answered(r))) out.push(`  unanswered ${where}: ${failures(rs)}`);
    }
    out.push("faults:");
    for (const f of c.faults) {
      const at = `+${seconds(f.startedAt - t0)}`.padStart(8);
      const what = f.error ? `FAILED: ${f.error}` : f.skipped ? `skipped: ${f.skipped}` : f.note;
      out.push(`  ${at} ${f.kind.padEnd(16)} ${what} (${seconds(f.endedAt - f.startedAt)})`);
    }
    for (const exit of c.unexpectedExits) {
      const at = `+${seconds(exit.at - t0)}`;
      out.push(
        `${exit.name} exited unasked at ${at} (${exit.signal ?? `code ${exit.code}`}); its last words:`,
      );
      for (const line of lastWords(exit.tail)) out.push(`    ${line}`);
    }
  }
  if (result.drainSeconds !== undefined)
    out.push(`drain after the load: ${result.drainSeconds.toFixed(1)} s`);
  if (result.stoppedEarly) out.push(`STOPPED EARLY: ${result.stoppedEarly}`);
  out.push("checks:");
  for (const check of result.checks)
    out.push(`  ${check.ok ? "ok  " : "FAIL"} ${check.name}: ${check.detail}`);
  out.push(
    result.cleanupProblems.length === 0
      ? "clean-up: every process, mount and temp folder removed"
      : `clean-up FAILED: ${result.cleanupProblems.join("; ")}`,
  );
  out.push(passed(result) ? "PASS" : "FAIL");
  return `${out.join("\n")}\n`;
}

/**
 * What a crashed process said last: from the last line that begins with an error's name (an uncaught error's
 * message, before its stack; log lines begin with their time), else its last lines.
 */
export function lastWords(tail: string[]): string[] {
  const crash = tail.findLastIndex((line) => /^[A-Za-z]*Error\b/.test(line));
  return crash >= 0 ? tail.slice(crash, crash + 5) : tail.slice(-5);
}

function tally(items: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}

function sum(counts: Map<string, number>): number {
  return [...counts.values()].reduce((a, b) => a + b, 0);
}

function pairs(counts: Map<string, number>): string {
  return [...counts].map(([k, n]) => `${k} ${n}`).join(", ");
}

function list(counts: Map<string, number>): string {
  return counts.size === 0 ? "" : ` (${pairs(counts)})`;
}
