import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type pg from "pg";
import type { RequestRecord } from "./client";
import type { FaultRecord } from "./faults";
import type { SubmittedJob } from "./load";
import type { UnexpectedExit } from "./processes";
import type { JobEvents } from "./receiver";

const FINAL = new Set(["completed", "failed", "canceled"]);

/** A job as the database holds it at the end. */
export interface JobFact {
  status: string;
  errorCode: string | null;
  cost: number;
  started: boolean;
  attempts: number;
  maxAttempts: number;
  /** When the row last changed (ms since the epoch). */
  updatedAt: number;
  holds: number;
  captures: number;
  releases: number;
  /** Asset rows, and in how many transactions they were written (distinct created_at). */
  assets: number;
  assetRuns: number;
  /** Terminal events (job.completed, job.failed, job.canceled) the engine recorded for it. */
  terminalEvents: number;
}

/** What the database says at the end of the run. */
export interface DbFacts {
  jobs: Map<string, JobFact>;
  /** Accounts whose balance is not the sum of their ledger. */
  unbalanced: { id: string; balance: number; ledger: number }[];
  /** Assets whose file is missing or of another size. */
  badFiles: string[];
}

/** Everything the run collected: the checks are functions of this alone. */
export interface Collected {
  loadStartedAt: number;
  submitted: SubmittedJob[];
  requests: RequestRecord[];
  faults: FaultRecord[];
  webhooks: { jobs: Map<string, JobEvents>; deliveries: number; unverified: number };
  unexpectedExits: UnexpectedExit[];
  db: DbFacts;
  tmpFiles: string[];
  availabilityAim: number;
}

export interface Check {
  name: string;
  ok: boolean;
  /** The figure, and when it failed, the first offenders. */
  detail: string;
}

/** Reads the facts the checks need from the engine's database and its assets folder. */
export async function collectDbFacts(db: pg.Pool, assetsDir: string): Promise<DbFacts> {
  const { rows } = await db.query<{
    id: string;
    status: string;
    error_code: string | null;
    cost: number;
    started: boolean;
    attempts: number;
    max_attempts: number;
    updated_at: Date;
    holds: number;
    captures: number;
    releases: number;
    assets: number;
    asset_runs: number;
    terminal_events: number;
  }>(`
    select j.id, j.status, j.error_code, j.cost_credits as cost, j.started_at is not null as started,
      j.attempts, j.max_attempts, j.updated_at,
      (select count(*)::int from credit_ledger l where l.job_id = j.id and l.kind = 'hold') as holds,
      (select count(*)::int from credit_ledger l where l.job_id = j.id and l.kind = 'capture') as captures,
      (select count(*)::int from credit_ledger l where l.job_id = j.id and l.kind = 'release') as releases,
      (select count(*)::int from assets a where a.job_id = j.id) as assets,
      (select count(distinct a.created_at)::int from assets a where a.job_id = j.id) as asset_runs,
      (select count(*)::int from webhook_events e where e.job_id = j.id
        and e.type in ('job.completed', 'job.failed', 'job.canceled')) as terminal_events
    from jobs j`);
  const jobs = new Map<string, JobFact>(
    rows.map((r) => [
      r.id,
      {
        status: r.status,
        errorCode: r.error_code,
        cost: r.cost,
        started: r.started,
        attempts: r.attempts,
        maxAttempts: r.max_attempts,
        updatedAt: r.updated_at.getTime(),
        holds: r.holds,
        captures: r.captures,
        releases: r.releases,
        assets: r.assets,
        assetRuns: r.asset_runs,
        terminalEvents: r.terminal_events,
      },
    ]),
  );
  const accounts = await db.query<{ id: string; balance: string; ledger: string }>(`
    select a.id, a.balance, coalesce((select sum(amount) from credit_ledger l where l.account_id = a.id), 0) as ledger
    from accounts a`);
  const unbalanced = accounts.rows
    .map((r) => ({ id: r.id, balance: Number(r.balance), ledger: Number(r.ledger) }))
    .filter((a) => a.balance !== a.ledger);
  // The store is content-addressed: <assets>/<aa>/<bb>/<sha256> (packages/engine/src/assets/store.ts).
  const files = await db.query<{ id: string; sha256: string; bytes: string }>(
    `select a.id, a.sha256, a.bytes from assets a join jobs j on j.id = a.job_id where j.status = 'completed'`,
  );
  const badFiles: string[] = [];
  for (const f of files.rows) {
    const path = join(assetsDir, f.sha256.slice(0, 2), f.sha256.slice(2, 4), f.sha256);
    const size = await stat(path).then(
      (s) => s.size,
      () => undefined,
    );
    if (size !== Number(f.bytes))
      badFiles.push(`${f.id} (${size === undefined ? "missing" : `${size} bytes`})`);
  }
  return { jobs, unbalanced, badFiles };
}

/** Every `*.tmp` file under the folder (bounded: the first 1,000). */
export async function findTempFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  return entries.filter((e) => e.endsWith(".tmp")).slice(0, 1000);
}

/** The acknowledged jobs, by id. */
export function acknowledged(submitted: SubmittedJob[]): SubmittedJob[] {
  return submitted.filter((s) => s.jobId !== undefined);
}

/** Requests whose time overlaps a Postgres restart (from the stop to accepting connections again). */
export function splitByOutage(
  requests: RequestRecord[],
  faults: FaultRecord[],
): { outside: RequestRecord[]; during: RequestRecord[] } {
  const windows = faults.filter((f) => f.kind === "restart-postgres" && !f.skipped);
  const during = (r: RequestRecord) =>
    windows.some((w) => r.startedAt <= w.endedAt && r.endedAt >= w.startedAt);
  return { outside: requests.filter((r) => !during(r)), during: requests.filter(during) };
}

/** A request is answered when some API process gave a status below 500. */
export function answered(r: RequestRecord): boolean {
  return r.status !== undefined && r.status < 500;
}

const first = (items: string[], n = 5) =>
  items.length === 0 ? "" : `: ${items.slice(0, n).join(", ")}${items.length > n ? ", …" : ""}`;

/** The run's verdicts. */
export function evaluate(c: Collected): Check[] {
  const acked = acknowledged(c.submitted);
  const checks: Check[] = [];
  const completed = acked.filter((s) => c.db.jobs.get(s.jobId!)?.status === "completed").length;
  checks.push({
    name: "the load ran (jobs acknowledged and completed)",
    ok: acked.length > 0 && completed > 0,
    detail: `${acked.length} acknowledged, ${completed} completed`,
  });

  const ackedIds = new Set(acked.map((s) => s.jobId!));
  // Each with what tells which fault left it: its attempt and when it last changed, from the load's start.
  const describe = (id: string, j: JobFact | undefined, kind: string) =>
    j
      ? `${id} ${j.status} (${kind}, attempt ${j.attempts}/${j.maxAttempts}, since +${((j.updatedAt - c.loadStartedAt) / 1000).toFixed(1)} s)`
      : `${id} missing`;
  const lost = acked
    .filter((s) => !FINAL.has(c.db.jobs.get(s.jobId!)?.status ?? "missing"))
    .map((s) => describe(s.jobId!, c.db.jobs.get(s.jobId!), s.kind));
  const strays = [...c.db.jobs]
    .filter(([id, j]) => !ackedIds.has(id) && !FINAL.has(j.status))
    .map(([id, j]) => describe(id, j, "never acknowledged"));
  checks.push({
    name: "lost (in no final state at the end)",
    ok: lost.length + strays.length === 0,
    detail: `${lost.length + strays.length}${first([...lost, ...strays], 12)}`,
  });

  const twice: string[] = [];
  for (const s of acked) {
    if (s.otherJobIds.length > 0) twice.push(`${s.idempotencyKey} made ${s.otherJobIds.length + 1} jobs`);
  }
  for (const [id, j] of c.db.jobs) {
    if (j.holds > 1) twice.push(`${id} held ${j.holds}×`);
    if (j.captures + j.releases > 1) twice.push(`${id} settled ${j.captures + j.releases}×`);
    if (j.terminalEvents > 1) twice.push(`${id} ended ${j.terminalEvents}× (events)`);
    if (j.assetRuns > 1) twice.push(`${id} assets written by ${j.assetRuns} runs`);
    if (j.assets > 0 && j.status !== "completed") twice.push(`${id} ${j.status} with ${j.assets} assets`);
  }
  checks.push({
    name: "completed twice or charged twice",
    ok: twice.length === 0,
    detail: `${twice.length}${first(twice)}`,
  });

  const wrongCharge: string[] = [];
  for (const [id, j] of c.db.jobs) {
    if (!FINAL.has(j.status) || j.cost === 0) continue;
    const want = j.status === "completed" ? { captures: 1, releases: 0 } : { captures: 0, releases: 1 };
    if (j.holds !== 1 || j.captures !== want.captures || j.releases !== want.releases) {
      wrongCharge.push(`${id} ${j.status}: hold ${j.holds}, capture ${j.captures}, release ${j.releases}`);
    }
  }
  checks.push({
    name: "each ended job charged once if completed, released otherwise",
    ok: wrongCharge.length === 0,
    detail: `${wrongCharge.length} wrong${first(wrongCharge)}`,
  });

  checks.push({
    name: "balance = sum(credit_ledger) on every account",
    ok: c.db.unbalanced.length === 0,
    detail: `${c.db.unbalanced.length} off${first(c.db.unbalanced.map((a) => `${a.id} ${a.balance} ≠ ${a.ledger}`))}`,
  });

  const hooks = acked.filter((s) => s.webhook && FINAL.has(c.db.jobs.get(s.jobId!)?.status ?? ""));
  const badHooks: string[] = [];
  for (const s of hooks) {
    const status = c.db.jobs.get(s.jobId!)!.status;
    const events = [...(c.webhooks.jobs.get(s.jobId!)?.terminal.values() ?? [])];
    if (events.length !== 1) badHooks.push(`${s.jobId} ${status}: ${events.length} terminal events`);
    else if (events[0] !== `job.${status}`) badHooks.push(`${s.jobId} ${status}: got ${events[0]}`);
  }
  checks.push({
    name: "one verified terminal webhook per ended job that asked",
    ok: badHooks.length === 0 && c.webhooks.unverified === 0,
    detail:
      `${hooks.length - badHooks.length} of ${hooks.length}, ${c.webhooks.unverified} unverified deliveries` +
      first(badHooks),
  });

  checks.push({
    name: "no temp files left in the assets folder",
    ok: c.tmpFiles.length === 0,
    detail: `${c.tmpFiles.length}${first(c.tmpFiles, 3)}`,
  });
  checks.push({
    name: "every completed job's files are in the store",
    ok: c.db.badFiles.length === 0,
    detail: `${c.db.badFiles.length} missing or wrong size${first(c.db.badFiles)}`,
  });

  const { outside } = splitByOutage(c.requests, c.faults);
  const share = outside.length === 0 ? 0 : outside.filter(answered).length / outside.length;
  checks.push({
    name: `API availability outside the Postgres restart ≥ ${percent(c.availabilityAim)}`,
    ok: share >= c.availabilityAim,
    detail: `${percent(share)} of ${outside.length} requests`,
  });

  checks.push({
    name: "no engine process exited unasked",
    ok: c.unexpectedExits.length === 0,
    detail: `${c.unexpectedExits.length}${first(c.unexpectedExits.map((e) => `${e.name} (${e.signal ?? `code ${e.code}`})`))}`,
  });

  const failedFaults = c.faults.filter((f) => f.error);
  checks.push({
    name: "harness: every scheduled fault was carried out",
    ok: failedFaults.length === 0,
    detail: `${c.faults.length - failedFaults.length} of ${c.faults.length}${first(failedFaults.map((f) => `${f.kind}: ${f.error}`))}`,
  });
  return checks;
}

export function percent(share: number): string {
  return `${(share * 100).toFixed(share >= 0.99 && share < 1 ? 2 : 1)}%`;
}
