import { expect, test } from "vitest";
import { FULL_RUN } from "../src/options";
import { type ChaosResult, formatReport, lastWords, passed } from "../src/report";

test("a crashed worker's last words are its uncaught error, not the log lines before it", () => {
  const tail = [
    "2026-11-29T08:43:25.253Z error Error with notify listener (trying again in 122ms): terminating connection",
    "2026-11-29T08:43:25.253Z warn  database connection error",
    "node:internal/process/promises:391",
    "Error: connect ECONNREFUSED 127.0.0.1:42935",
    "    at new DatabaseError (pg-protocol/src/errors.ts:5:5)",
    "    at async batchFailJobs (graphile-worker/src/sql/failJobs.ts:69:5) {",
    "  errno: -111,",
    "Node.js v20.20.2",
  ];
  expect(lastWords(tail)[0]).toBe("Error: connect ECONNREFUSED 127.0.0.1:42935");
  expect(lastWords(["started", "working"])).toEqual(["started", "working"]);
});

test("a run passes only with every check ok, nothing left behind and no early stop", () => {
  const result: ChaosResult = {
    options: FULL_RUN,
    startedAt: 0,
    endedAt: 1000,
    checks: [{ name: "lost", ok: true, detail: "0" }],
    cleanupProblems: [],
    root: "/tmp/x",
  };
  expect(passed(result)).toBe(true);
  expect(formatReport(result)).toMatch(/ok {3}lost: 0\n[\s\S]*PASS\n$/);
  expect(passed({ ...result, checks: [{ name: "lost", ok: false, detail: "1" }] })).toBe(false);
  expect(passed({ ...result, checks: [] })).toBe(false);
  expect(passed({ ...result, cleanupProblems: ["postgres did not exit"] })).toBe(false);
  expect(passed({ ...result, stoppedEarly: "interrupted (SIGINT)" })).toBe(false);
});
