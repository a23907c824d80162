import { createNoopGenerator } from "@mcpmediaengine/media";
import { sql } from "kysely";
import { afterAll, beforeAll, expect, test } from "vitest";
import { claimKeys, findKey, saveResponses } from "../src/repositories/idempotency-keys";
import { startIdempotent } from "../src/services/idempotency/idempotency";
import { submitJob } from "../src/services/jobs/submit";
import { createHarness, type Harness } from "./harness";

let h: Harness;
beforeAll(async () => {
  h = await createHarness([createNoopGenerator("noop")]);
});
afterAll(() => h.close());

test("one grouped claim: a key repeated in the group is claimed once, by its first appearance; keys are per account", async () => {
  const a = await h.newCaller();
  const b = await h.newCaller();
  const claimed = await claimKeys(h.t.db, [
    { accountId: a.accountId, key: "k1", requestHash: "h1" },
    { accountId: a.accountId, key: "k1", requestHash: "h1" },
    { accountId: b.accountId, key: "k1", requestHash: "h1" },
    { accountId: a.accountId, key: "k2", requestHash: "h2" },
  ]);
  expect(claimed).toEqual([true, false, true, true]);
  expect(await claimKeys(h.t.db, [{ accountId: a.accountId, key: "k2", requestHash: "h2" }])).toEqual([
    false,
  ]);
  await saveResponses(h.t.db, [
    { accountId: a.accountId, key: "k1", status: 202, body: '{"a":1}' },
    { accountId: b.accountId, key: "k1", status: 201, body: '{"b":1}' },
  ]);
  expect(await findKey(h.t.db, a.accountId, "k1")).toMatchObject({
    response_status: 202,
    response_body: '{"a":1}',
  });
  expect(await findKey(h.t.db, b.accountId, "k1")).toMatchObject({
    response_status: 201,
    response_body: '{"b":1}',
  });
  expect(await findKey(h.t.db, a.accountId, "k2")).toMatchObject({ response_status: null });
});

test("many concurrent starts with one key and request: one runs, the others replay its response", async () => {
  const caller = await h.newCaller();
  const starts = Array.from({ length: 40 }, () =>
    startIdempotent({ ctx: h.ctx, caller, key: "same", requestHash: "h" }),
  );
  // The first to claim is answered before the others can replay: keep the response once it has run.
  const first = await Promise.race(starts.map((p) => p.then((s) => s)));
  expect(first.kind).toBe("run");
  await h.ctx.idempotency.save({ accountId: caller.accountId, key: "same", status: 202, body: "first" });
  const all = await Promise.all(starts);
  expect(all.filter((s) => s.kind === "run")).toHaveLength(1);
  expect(all.filter((s) => s.kind === "replay")).toEqual(
    Array.from({ length: 39 }, () => ({ kind: "replay", status: 202, body: "first" })),
  );
});

test("concurrent submissions of one account, some sharing keys: one job per key, each charged once", async () => {
  const caller = await h.newCaller(); // 25 credits, 1 a job
  const replays: string[] = [];
  const submit = (key: string | undefined, prompt: string) =>
    submitJob({
      ctx: h.ctx,
      caller,
      scope: h.scope,
      input: { type: "image", prompt, model: "noop" },
      idempotencyKey: key,
      onReplay: () => replays.push(prompt),
    });
  // The first is written alone; the rest arrive while it is and go in as one group, duplicates and all.
  const jobs = await Promise.all([
    ...Array.from({ length: 5 }, (_, i) => submit(undefined, `plain ${i}`)),
    ...Array.from({ length: 10 }, () => submit("shared", "shared")),
    ...Array.from({ length: 5 }, (_, i) => submit(`own-${i}`, `own ${i}`)),
  ]);
  expect(new Set(jobs.slice(5, 15).map((j) => j.jobId)).size).toBe(1);
  expect(replays.filter((p) => p === "shared")).toHaveLength(9);
  expect(new Set(jobs.map((j) => j.jobId)).size).toBe(11);
  const { rows } = await sql<{ balance: string; ledger: string }>`
    select balance, (select sum(amount) from credit_ledger where account_id = ${caller.accountId}) as ledger
    from accounts where id = ${caller.accountId}`.execute(h.t.db);
  expect(Number(rows[0]!.balance)).toBe(25 - 11);
  expect(Number(rows[0]!.ledger)).toBe(25 - 11);
});

test("a key taken by another kind of request is a conflict for a job, and nothing is charged", async () => {
  const caller = await h.newCaller();
  await claimKeys(h.t.db, [{ accountId: caller.accountId, key: "cancel-key", requestHash: "other" }]);
  await expect(
    submitJob({
      ctx: h.ctx,
      caller,
      scope: h.scope,
      input: { type: "image", prompt: "x", model: "noop" },
      idempotencyKey: "cancel-key",
    }),
  ).rejects.toMatchObject({ code: "idempotency_conflict" });
  const account = await h.t.db
    .selectFrom("accounts")
    .select("balance")
    .where("id", "=", caller.accountId)
    .executeTakeFirstOrThrow();
  expect(Number(account.balance)).toBe(25);
});
