import { parseCrontab } from "graphile-worker";
import { sql } from "kysely";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createLog } from "../src/logger";
import { CRONTAB, TASKS } from "../src/queue/tasks";
import { ledgerSum } from "../src/repositories/credits";
import { adminCreateAccount } from "../src/services/admin/accounts";
import { grantMonthlyCredits } from "../src/services/credits/monthly-grants";
import { startWorker } from "../src/worker/runner";
import { createHarness, type Harness } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await createHarness([]);
});
afterAll(() => h.close());

const open = async (plan: "free" | "starter" | "pro" | "enterprise", monthlyGrant?: number) =>
  (await adminCreateAccount({ ctx: h.ctx, input: { name: plan, plan, monthlyGrant } })).accountId;
const balance = async (accountId: string) => (await ledgerSum(h.t.db, accountId)).balance;

test("a month's grant goes once to each account on a monthly plan, however often and however concurrently it runs", async () => {
  const free = await open("free");
  const starter = await open("starter");
  const pro = await open("pro");
  const custom = await open("enterprise", 5000);
  const opening = { free: 25, starter: 400, pro: 1400, custom: 5000 };
  expect([await balance(free), await balance(starter), await balance(pro), await balance(custom)]).toEqual(
    Object.values(opening),
  );

  const nextMonth = new Date(Date.UTC(2099, 0, 1));
  const runs = await Promise.all([1, 2, 3].map(() => grantMonthlyCredits({ ctx: h.ctx, at: nextMonth })));
  expect(runs.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(3);
  await grantMonthlyCredits({ ctx: h.ctx, at: new Date(Date.UTC(2099, 0, 15)) });

  expect(await balance(free)).toBe(25);
  expect(await balance(starter)).toBe(800);
  expect(await balance(pro)).toBe(2800);
  expect(await balance(custom)).toBe(10_000);
  for (const id of [free, starter, pro, custom]) {
    const { ledger, balance: b } = await ledgerSum(h.t.db, id);
    expect(b).toBe(ledger);
  }
  const grants = await h.t.db
    .selectFrom("credit_ledger")
    .select(["account_id", "period"])
    .where("kind", "=", "grant")
    .where("period", "=", "2099-01")
    .execute();
  expect(grants.map((g) => g.account_id).sort()).toEqual([starter, pro, custom].sort());
});

test("the crontab runs the grants at midnight UTC on the 1st, and the task grants the scheduled month", async () => {
  const [item] = parseCrontab(CRONTAB);
  expect(item?.task).toBe(TASKS.monthlyGrants);
  expect(item?.match).toBeTypeOf("function");
  const starter = await open("starter");
  const worker = await startWorker(h.ctx, {
    pool: h.t.pool,
    log: createLog("silent"),
    concurrency: 1,
    recovery: { heartbeatMs: 1000, staleAfterMs: 10_000 },
  });
  try {
    await sql`select graphile_worker.add_job(${TASKS.monthlyGrants}, json_build_object('_cron',
      json_build_object('ts', '2098-06-01T00:00:00.000Z', 'backfilled', true)))`.execute(h.t.db);
    await expect.poll(() => balance(starter), { timeout: 10_000 }).toBe(800);
  } finally {
    await worker.stop();
  }
  const periods = await h.t.db
    .selectFrom("credit_ledger")
    .select("period")
    .where("account_id", "=", starter)
    .where("kind", "=", "grant")
    .execute();
  expect(periods.map((p) => p.period)).toContain("2098-06");
});
