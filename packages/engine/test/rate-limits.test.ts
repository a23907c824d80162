import { sql } from "kysely";
import { afterAll, beforeAll, expect, test } from "vitest";
import { deleteEndedWindows } from "../src/repositories/rate-limits";
import { takeRequest } from "../src/services/limits/rate-limit";
import { createHarness, type Harness } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await createHarness([]);
});
afterAll(() => h.close());

test("requests are counted per key against the plan's limit; concurrent ones are each counted once", async () => {
  const caller = {
    ...(await h.newCaller()),
    limits: { requestsPerMinute: 50, concurrentJobs: 1, maxBatchSize: 10 },
  };
  const decisions = await Promise.all(Array.from({ length: 60 }, () => takeRequest({ ctx: h.ctx, caller })));
  const windows = await h.t.db
    .selectFrom("rate_limit_windows")
    .select("count")
    .where("key_id", "=", caller.keyId)
    .execute();
  expect(windows.reduce((sum, w) => sum + w.count, 0)).toBe(60);
  // In one window (the burst did not straddle a minute): exactly the 50 allowed, each with its own count.
  if (windows.length === 1) {
    expect(decisions.filter((d) => d.allowed)).toHaveLength(50);
    expect(new Set(decisions.filter((d) => d.allowed).map((d) => d.remaining)).size).toBe(50);
  }
  expect(decisions.every((d) => d.limit === 50 && d.windowSeconds === 60)).toBe(true);
});

test("ended windows are swept; the current one stays", async () => {
  await sql`insert into rate_limit_windows (key_id, window_start, count)
    values ('key_old', now() - interval '10 minutes', 5), ('key_now', date_trunc('minute', now()), 1)`.execute(
    h.t.db,
  );
  expect(await deleteEndedWindows(h.t.db)).toBeGreaterThanOrEqual(1);
  const left = await h.t.db.selectFrom("rate_limit_windows").select("key_id").execute();
  expect(left.map((r) => r.key_id)).toContain("key_now");
  expect(left.map((r) => r.key_id)).not.toContain("key_old");
});
