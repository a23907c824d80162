import { expect, test } from "vitest";
import { type ClusterResult, evaluate, formatReport, passed } from "../src/report";

const PROCESSES = 4;

function clean(): ClusterResult {
  return {
    startedAt: 0,
    endedAt: 60_000,
    proxy: { received: 100, answered: 100, serverErrors: 0, retried: 1, errors: [] },
    rest: { requests: 60, unanswered: 0, submitted: 10, ended: { completed: 10 } },
    mcp: [
      { sessionId: "a", calls: 20, failures: [], survived: true },
      { sessionId: "b", calls: 20, failures: [], survived: true },
    ],
    restarts: ["api-1", "api-2", "worker-1", "worker-2"].map((name) => ({ name, stopMs: 1, startMs: 1 })),
    unexpectedExits: [],
    cleanupProblems: [],
  };
}

const missed = (result: ClusterResult) =>
  evaluate(result, PROCESSES)
    .filter((aim) => !aim.ok)
    .map((aim) => aim.name);

test("a clean run meets every aim and says so", () => {
  expect(missed(clean())).toEqual([]);
  expect(passed(clean(), PROCESSES)).toBe(true);
  const report = formatReport(clean(), PROCESSES);
  expect(report).toContain("requests sent 100, answered 100, 5xx 0");
  expect(report).toContain("MCP sessions survived 2 of 2");
  expect(report).toMatch(/every aim met\n$/);
});

test("each broken promise misses its aim and fails the run", () => {
  const cases: [string, (r: ClusterResult) => void][] = [
    ["no 5xx", (r) => Object.assign(r.proxy!, { serverErrors: 1, errors: ["502 POST /v1/jobs"] })],
    ["every request answered", (r) => Object.assign(r.rest!, { unanswered: 1 })],
    ["no MCP session lost", (r) => Object.assign(r.mcp![1]!, { survived: false, failures: ["404"] })],
    ["every job completed", (r) => Object.assign(r.rest!, { ended: { completed: 9, "not ended": 1 } })],
    ["every process restarted", (r) => r.restarts.pop()],
    ["no process exited unasked", (r) => r.unexpectedExits.push("worker-1 exited (SIGKILL)")],
  ];
  for (const [aim, breakIt] of cases) {
    const result = clean();
    breakIt(result);
    expect(missed(result)).toEqual([aim]);
    expect(passed(result, PROCESSES)).toBe(false);
    expect(formatReport(result, PROCESSES)).toContain(`MISSED ${aim}`);
  }
});

test("a run that stopped early, or ran no load, or left something behind, has not passed", () => {
  expect(passed({ ...clean(), stoppedEarly: "the run's deadline came" }, PROCESSES)).toBe(false);
  expect(passed({ ...clean(), cleanupProblems: ["api-1 (pid 7) did not exit"] }, PROCESSES)).toBe(false);
  const noLoad: ClusterResult = { ...clean(), proxy: undefined, rest: undefined, mcp: undefined };
  expect(missed(noLoad)).toEqual([
    "no 5xx",
    "every request answered",
    "no MCP session lost",
    "every job completed",
  ]);
});
