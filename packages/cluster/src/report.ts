import type { McpSessionFigures, RestFigures } from "./load";
import type { ProxyCounts } from "./proxy";

export interface Restart {
  name: string;
  /** From SIGTERM until the process had exited. */
  stopMs: number;
  /** From its start until it was ready again (an API process: in the proxy's rotation). */
  startMs: number;
}

/** What one `pnpm cluster` run saw. */
export interface ClusterResult {
  startedAt: number;
  endedAt: number;
  proxy?: ProxyCounts;
  rest?: RestFigures;
  mcp?: McpSessionFigures[];
  restarts: Restart[];
  /** Processes that exited without being asked (each a line with its last output). */
  unexpectedExits: string[];
  /** Why the run stopped before its end: a start-up failure, the deadline, an interrupt. */
  stoppedEarly?: string;
  cleanupProblems: string[];
}

export interface Aim {
  name: string;
  ok: boolean;
  detail: string;
}

/** The run's aims, each met or not: no 5xx, every request answered, no MCP session lost, every job done. */
export function evaluate(result: ClusterResult, processes: number): Aim[] {
  const proxy = result.proxy;
  const rest = result.rest;
  const sessions = result.mcp ?? [];
  const lost = sessions.filter((s) => !s.survived);
  const notCompleted = Object.entries(rest?.ended ?? {}).filter(([status]) => status !== "completed");
  return [
    {
      name: "no 5xx",
      ok: proxy !== undefined && proxy.serverErrors === 0,
      detail: proxy ? `${proxy.serverErrors} 5xx${list(proxy.errors)}` : "no load ran",
    },
    {
      name: "every request answered",
      ok: proxy !== undefined && rest !== undefined && rest.unanswered === 0 && proxy.received > 0,
      detail: rest ? `${rest.unanswered} of ${rest.requests} REST requests got no answer` : "no load ran",
    },
    {
      name: "no MCP session lost",
      ok: sessions.length > 0 && lost.length === 0,
      detail: `${sessions.length - lost.length} of ${sessions.length} survived${list(lost.flatMap((s) => s.failures))}`,
    },
    {
      name: "every job completed",
      ok: rest !== undefined && rest.submitted > 0 && notCompleted.length === 0,
      detail: rest
        ? `${rest.submitted} submitted${notCompleted.length ? `; ${notCompleted.map(([s, n]) => `${n} ${s}`).join(", ")}` : ""}`
        : "no load ran",
    },
    {
      name: "every process restarted",
      ok: result.restarts.length === processes,
      detail: `${result.restarts.length} of ${processes}`,
    },
    {
      name: "no process exited unasked",
      ok: result.unexpectedExits.length === 0,
      detail: result.unexpectedExits.length ? result.unexpectedExits.join("; ") : "none",
    },
  ];
}

export function passed(result: ClusterResult, processes: number): boolean {
  return (
    result.stoppedEarly === undefined &&
    result.cleanupProblems.length === 0 &&
    evaluate(result, processes).every((aim) => aim.ok)
  );
}

export function formatReport(result: ClusterResult, processes: number): string {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const out = [
    `pnpm cluster: 2 API processes behind a proxy, 2 workers, one Postgres, one S3 server; each process restarted in turn under load (${seconds(result.endedAt - result.startedAt)})`,
  ];
  const { proxy, rest, mcp } = result;
  if (proxy) {
    out.push(
      `requests sent ${proxy.received}, answered ${proxy.answered}, 5xx ${proxy.serverErrors} (sent again to the other API after a refused connection: ${proxy.retried})`,
    );
  }
  if (rest) {
    const ended = Object.entries(rest.ended)
      .map(([status, n]) => `${status} ${n}`)
      .join(", ");
    out.push(`REST jobs submitted ${rest.submitted}: ${ended || "none ended"}`);
  }
  if (mcp) {
    const survived = mcp.filter((s) => s.survived).length;
    const calls = mcp.reduce((n, s) => n + s.calls, 0);
    out.push(`MCP sessions survived ${survived} of ${mcp.length} (${calls} tool calls)`);
  }
  for (const r of result.restarts) {
    out.push(`  restarted ${r.name}: stopped in ${seconds(r.stopMs)}, ready again in ${seconds(r.startMs)}`);
  }
  if (result.stoppedEarly) out.push(`STOPPED EARLY: ${result.stoppedEarly}`);
  for (const problem of result.cleanupProblems) out.push(`clean-up: ${problem}`);
  for (const aim of evaluate(result, processes)) {
    out.push(`${aim.ok ? "met   " : "MISSED"} ${aim.name}: ${aim.detail}`);
  }
  out.push(passed(result, processes) ? "every aim met" : "AIMS MISSED");
  return `${out.join("\n")}\n`;
}

function list(items: readonly string[]): string {
  return items.length ? ` (${items.slice(0, 5).join("; ")}${items.length > 5 ? "; …" : ""})` : "";
}
