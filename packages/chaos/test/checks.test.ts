import { describe, expect, test } from "vitest";
import { type Collected, evaluate, type JobFact } from "../src/checks";
import type { SubmittedJob } from "../src/load";

// The checks are pure functions of what a run collected: each must fail on the violation it names.

const fact = (status: string, extra: Partial<JobFact> = {}): JobFact => ({
  status,
  errorCode: null,
  cost: 1,
  started: true,
  attempts: 1,
  maxAttempts: 2,
  updatedAt: 0,
  holds: 1,
  captures: status === "completed" ? 1 : 0,
  releases: status === "completed" ? 0 : 1,
  assets: status === "completed" ? 1 : 0,
  assetRuns: status === "completed" ? 1 : 0,
  terminalEvents: 1,
  ...extra,
});

const submitted = (jobId: string, webhook = false): SubmittedJob => ({
  n: 0,
  kind: "image",
  idempotencyKey: `key-${jobId}`,
  webhook,
  jobId,
  otherJobIds: [],
});

function run(overrides: Partial<Collected> = {}): Collected {
  return {
    loadStartedAt: 0,
    submitted: [submitted("job_a", true), submitted("job_b")],
    requests: [{ startedAt: 0, endedAt: 1, method: "GET", route: "/v1/jobs/:id", status: 200 }],
    faults: [],
    webhooks: {
      jobs: new Map([["job_a", { terminal: new Map([["evt_1", "job.completed"]]) }]]),
      deliveries: 2,
      unverified: 0,
    },
    unexpectedExits: [],
    db: {
      jobs: new Map([
        ["job_a", fact("completed")],
        ["job_b", fact("canceled")],
      ]),
      unbalanced: [],
      badFiles: [],
    },
    tmpFiles: [],
    availabilityAim: 0.999,
    ...overrides,
  };
}

const failing = (c: Collected) =>
  evaluate(c)
    .filter((check) => !check.ok)
    .map((check) => check.name);

describe("chaos checks", () => {
  test("a clean run passes every check", () => {
    expect(failing(run())).toEqual([]);
  });

  test("a job stuck in processing, or an acknowledged job the database lacks, is lost", () => {
    const stuck = run();
    stuck.db.jobs.set("job_b", fact("processing"));
    expect(failing(stuck)).toEqual(["lost (in no final state at the end)"]);
    const missing = run();
    missing.db.jobs.delete("job_b");
    expect(failing(missing)).toContain("lost (in no final state at the end)");
  });

  test("a second settlement, a second run's assets or a retry that made a second job count as doubled", () => {
    for (const change of [
      (c: Collected) => c.db.jobs.set("job_a", fact("completed", { captures: 1, releases: 1 })),
      (c: Collected) => c.db.jobs.set("job_a", fact("completed", { assets: 2, assetRuns: 2 })),
      (c: Collected) => c.db.jobs.set("job_b", fact("canceled", { assets: 1, assetRuns: 1 })),
      (c: Collected) => c.submitted[1]!.otherJobIds.push("job_c"),
    ]) {
      const c = run();
      change(c);
      expect(failing(c)).toContain("completed twice or charged twice");
    }
  });

  test("a completed job that was never charged fails the charge check", () => {
    const c = run();
    c.db.jobs.set("job_a", fact("completed", { captures: 0, releases: 1 }));
    expect(failing(c)).toContain("each ended job charged once if completed, released otherwise");
  });

  test("webhooks: repeats of one event id are one event; two ids, none, or the wrong type fail", () => {
    const repeated = run();
    repeated.webhooks.deliveries = 5; // the same evt_1 delivered again is deduplicated by the receiver
    expect(failing(repeated)).toEqual([]);
    const twoEvents = run();
    twoEvents.webhooks.jobs.get("job_a")!.terminal.set("evt_2", "job.failed");
    const none = run({ webhooks: { jobs: new Map(), deliveries: 0, unverified: 0 } });
    const wrongType = run();
    wrongType.webhooks.jobs.get("job_a")!.terminal.set("evt_1", "job.failed");
    const unverified = run();
    unverified.webhooks.unverified = 1;
    for (const c of [twoEvents, none, wrongType, unverified]) {
      expect(failing(c)).toEqual(["one verified terminal webhook per ended job that asked"]);
    }
  });

  test("availability counts 5xx and unanswered requests, except those overlapping the Postgres restart", () => {
    const requests = [
      ...Array.from({ length: 999 }, () => ({
        startedAt: 0,
        endedAt: 1,
        method: "GET",
        route: "/",
        status: 200,
      })),
      { startedAt: 50, endedAt: 60, method: "POST", route: "/v1/jobs", status: 503 },
    ];
    const restart = {
      kind: "restart-postgres" as const,
      startedAt: 55,
      endedAt: 70,
      note: "",
    };
    expect(failing(run({ requests }))).toEqual([]); // 999 of 1000
    const worse = [
      ...requests,
      { startedAt: 80, endedAt: 81, method: "GET", route: "/", error: "ECONNREFUSED" },
    ];
    expect(failing(run({ requests: worse }))).toEqual([
      "API availability outside the Postgres restart ≥ 99.90%",
    ]);
    expect(failing(run({ requests: worse, faults: [restart] }))).toEqual([]);
  });

  test("a temp file, a missing asset file, an unbalanced account or a crashed process fails", () => {
    expect(failing(run({ tmpFiles: ["ab/cd/x.tmp"] }))).toEqual(["no temp files left in the assets folder"]);
    const noFile = run();
    noFile.db.badFiles.push("ast_1 (missing)");
    expect(failing(noFile)).toEqual(["every completed job's files are in the store"]);
    const unbalanced = run();
    unbalanced.db.unbalanced.push({ id: "acc_1", balance: 10, ledger: 9 });
    expect(failing(unbalanced)).toEqual(["balance = sum(credit_ledger) on every account"]);
    const crash = { name: "worker-1", code: 1, signal: null, at: 0, tail: [] };
    expect(failing(run({ unexpectedExits: [crash] }))).toEqual(["no engine process exited unasked"]);
  });
});
