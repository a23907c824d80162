import type { Job, LedgerEntry, LedgerList, Usage } from "@mcpmediaengine/contract";
import { createAccountWithKey } from "@mcpmediaengine/engine";
import { afterAll, beforeAll, expect, test } from "vitest";
import { parseCsv } from "./csv";
import { startTestServer, type TestServer, waitForJob } from "./harness";
import { errorCode } from "./session-client";

let server: TestServer;
let key: string;
let jobs: Job[];
beforeAll(async () => {
  server = await startTestServer();
  ({ apiKey: key } = await createAccountWithKey({ ctx: server.engine, name: "usage", plan: "pro" }));
  const submit = async (body: object) =>
    (await (await server.api("/v1/jobs", { method: "POST", key, body: JSON.stringify(body) })).json()) as Job;
  const sleeping = await submit({ type: "image", prompt: "sleep 60000", model: "dev-sleep" });
  const submitted = [
    await submit({ type: "image", prompt: "one", model: "dev-noop" }),
    await submit({ type: "image", prompt: "two", model: "dev-noop", width: 2048, height: 2048 }),
    await submit({ type: "audio", prompt: "Usage counts what ended." }),
    await submit({ type: "image", prompt: "this one fails", model: "dev-fail" }),
  ];
  await server.api(`/v1/jobs/${sleeping.jobId}/cancel`, { method: "POST", key });
  jobs = [];
  for (const job of [sleeping, ...submitted])
    jobs.push((await waitForJob(server, job.jobId, 60_000, key)) as never);
});
afterAll(() => server.stop());

const json = async <T>(response: Response) => (await response.json()) as T;
const usage = async (query: string) => json<Usage>(await server.api(`/v1/usage?${query}`, { key }));

/** What the jobs themselves say, grouped as usage groups them. */
function expected(groupOf: (job: Job) => string) {
  const groups = new Map<
    string,
    { creditsSpent: number; jobsCompleted: number; jobsFailed: number; jobsCanceled: number }
  >();
  for (const job of jobs) {
    const g = groups.get(groupOf(job)) ?? {
      creditsSpent: 0,
      jobsCompleted: 0,
      jobsFailed: 0,
      jobsCanceled: 0,
    };
    if (job.status === "completed") {
      g.creditsSpent += job.cost.credits;
      g.jobsCompleted++;
    } else if (job.status === "failed") g.jobsFailed++;
    else g.jobsCanceled++;
    groups.set(groupOf(job), g);
  }
  return groups;
}

test("the jobs ended every way: completed, failed and canceled", () => {
  expect(jobs.map((j) => j.status).sort()).toEqual([
    "canceled",
    "completed",
    "completed",
    "completed",
    "failed",
  ]);
});

test("usage by model and by type matches the jobs", async () => {
  const byModel = await usage("groupBy=model");
  const want = expected((j) => j.model);
  expect(byModel.data.map((r) => r.model).sort()).toEqual([...want.keys()].sort());
  for (const row of byModel.data)
    expect(row, row.model!).toMatchObject({ ...want.get(row.model!), day: null, type: null });
  // Most spent first.
  const spent = byModel.data.map((r) => r.creditsSpent);
  expect(spent).toEqual([...spent].sort((a, b) => b - a));

  const byType = await usage("groupBy=type");
  const wantType = expected((j) => j.type);
  expect(byType.data.map((r) => r.type).sort()).toEqual([...wantType.keys()].sort());
  for (const row of byType.data) expect(row).toMatchObject(wantType.get(row.type!)!);
  expect(byType.totals).toEqual(byModel.totals);
});

test("usage by day: 30 UTC days up to today by default, empty days as zeros, jobs on the day they ended", async () => {
  const byDay = await usage("groupBy=day");
  expect(byDay.data).toHaveLength(30);
  expect(byDay.to).toBe(new Date().toISOString().slice(0, 10));
  const want = expected((j) => j.completedAt!.slice(0, 10));
  for (const row of byDay.data) {
    const w = want.get(row.day!) ?? { creditsSpent: 0, jobsCompleted: 0, jobsFailed: 0, jobsCanceled: 0 };
    expect(row, row.day!).toMatchObject(w);
  }
  const spent = jobs.filter((j) => j.status === "completed").reduce((n, j) => n + j.cost.credits, 0);
  expect(byDay.totals).toEqual({ creditsSpent: spent, jobsCompleted: 3, jobsFailed: 1, jobsCanceled: 1 });
  // The same figure the account shows as this month's use (every job here ended this month unless run at midnight).
  const account = await json<{ usage: { creditsSpent: number } }>(await server.api("/v1/account", { key }));
  if (jobs.every((j) => j.completedAt!.slice(0, 7) === new Date().toISOString().slice(0, 7)))
    expect(account.usage.creditsSpent).toBe(spent);

  const dayType = await usage("groupBy=day,type");
  const wantDayType = expected((j) => `${j.completedAt!.slice(0, 10)} ${j.type}`);
  expect(dayType.data.map((r) => `${r.day} ${r.type}`).sort()).toEqual([...wantDayType.keys()].sort());
  for (const row of dayType.data) expect(row).toMatchObject(wantDayType.get(`${row.day} ${row.type}`)!);
});

test("a span without the jobs is empty; another account sees none of them", async () => {
  const old = await usage("from=2020-01-01&to=2020-01-31&groupBy=model");
  expect(old).toMatchObject({ from: "2020-01-01", to: "2020-01-31", data: [] });
  expect(old.totals.jobsCompleted).toBe(0);
  const stranger = await server.newKey();
  const theirs = await json<Usage>(await server.api("/v1/usage?groupBy=model", { key: stranger }));
  expect(theirs.data).toEqual([]);
});

test("bad usage spans are 400 invalid_request", async () => {
  for (const query of [
    "from=2026-02-10&to=2026-02-01",
    "from=2020-01-01&to=2026-01-01",
    "from=2026-02-30",
    "groupBy=week",
  ]) {
    const response = await server.api(`/v1/usage?${query}`, { key });
    expect(response.status, query).toBe(400);
    expect(await errorCode(response)).toBe("invalid_request");
  }
});

async function wholeLedger(limit: number): Promise<LedgerEntry[]> {
  const entries: LedgerEntry[] = [];
  let cursor: string | null = null;
  do {
    const page: LedgerList = await json<LedgerList>(
      await server.api(`/v1/credits/ledger?limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`, { key }),
    );
    expect(page.data.length).toBeLessThanOrEqual(limit);
    entries.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor);
  return entries;
}

test("the ledger pages by cursor, newest first, and adds up to the balance", async () => {
  const entries = await wholeLedger(3);
  // A grant, a hold per job, a capture per completed job and a release per failed or canceled one.
  expect(entries.map((e) => e.kind).sort()).toEqual(
    ["grant", ...Array(5).fill("hold"), ...Array(3).fill("capture"), ...Array(2).fill("release")].sort(),
  );
  expect(entries.map((e) => e.entryId)).toEqual([...entries.map((e) => e.entryId)].sort().reverse());
  const account = await json<{ balance: number }>(await server.api("/v1/account", { key }));
  expect(entries.reduce((n, e) => n + e.amount, 0)).toBe(account.balance);
  for (const job of jobs) expect(entries.some((e) => e.kind === "hold" && e.jobId === job.jobId)).toBe(true);

  const bad = await server.api("/v1/credits/ledger?cursor=bm90LWEtY3Vyc29y", { key });
  expect(bad.status).toBe(400);
  const stranger = await server.newKey();
  const theirs = await json<LedgerList>(await server.api("/v1/credits/ledger", { key: stranger }));
  expect(theirs.data.map((e) => e.kind)).toEqual(["grant"]);
});

test("Accept: text/csv exports the whole ledger; it parses and matches the JSON", async () => {
  const response = await server.api("/v1/credits/ledger?limit=1", { key, headers: { accept: "text/csv" } });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
  expect(response.headers.get("content-disposition")).toMatch(/attachment/);
  const [header, ...rows] = parseCsv(await response.text());
  expect(header).toEqual(["entryId", "createdAt", "kind", "amount", "jobId", "batchId", "reason"]);
  const fromJson = await wholeLedger(100);
  expect(rows).toEqual(
    fromJson.map((e) => [
      e.entryId,
      e.createdAt,
      e.kind,
      String(e.amount),
      e.jobId ?? "",
      e.batchId ?? "",
      e.reason ?? "",
    ]),
  );
  // The grant's reason has a comma ("Pro plan, 2026-05"): quoted, and read back whole.
  expect(rows.find((r) => r[2] === "grant")![6]).toMatch(/^Pro plan, \d{4}-\d{2}$/);

  const none = await server.api("/v1/credits/ledger", { key: null, headers: { accept: "text/csv" } });
  expect(none.status).toBe(401);
  const filtered = await server.api(
    `/v1/credits/ledger?createdAfter=${encodeURIComponent("2100-01-01T00:00:00Z")}`,
    {
      key,
      headers: { accept: "text/csv" },
    },
  );
  expect(parseCsv(await filtered.text())).toHaveLength(1);
});
