import { AppError, newId } from "@mcpmediaengine/contract";
import { sql } from "kysely";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Caller } from "../src/context";
import { ledgerSum, postCredits } from "../src/repositories/credits";
import type { NewHeldJob } from "../src/repositories/job-transitions";
import { JobAdmission } from "../src/services/jobs/admission";
import { createHarness, type Harness } from "./harness";

// Issue 15: one account's concurrent submissions are written in one statement (a group commit). A value Postgres
// refuses (the contract stops these first; here they are handed to the admission directly, as if it had not) must
// fail only its own submission: every other one of the group is accepted as if it had come alone.

let h: Harness;
beforeAll(async () => {
  h = await createHarness([]);
});
afterAll(() => h.close());

const input = JSON.stringify({ prompt: "x", preset: null, width: 64, height: 64, format: "png", seed: 1 });

function job(caller: Caller, poison?: Partial<NewHeldJob>): NewHeldJob {
  const now = new Date();
  return {
    id: newId("job", now.getTime()),
    accountId: caller.accountId,
    type: "image",
    model: "local-studio",
    input,
    metadata: "{}",
    webhookUrl: null,
    webhookEvents: null,
    cost: 2,
    maxAttempts: 3,
    createdAt: now,
    ...poison,
  };
}

// Each is refused by Postgres for another reason: NUL in a text column, NUL and a lone surrogate in jsonb, NUL in
// a text[] element.
const POISONS: Partial<NewHeldJob>[] = [
  { model: "local\u0000studio" },
  { input: JSON.stringify({ prompt: "a\u0000b" }) },
  { metadata: JSON.stringify({ note: "\ud800" }) },
  { webhookUrl: "https://example.com/\u0000" },
];

async function callerWith(credits: number): Promise<Caller> {
  const caller = await h.newCaller();
  const { balance } = await ledgerSum(h.t.db, caller.accountId);
  await postCredits(h.t.db, { accountId: caller.accountId, kind: "adjustment", amount: credits - balance });
  return caller;
}

async function holds(accountId: string): Promise<number> {
  const row = await sql<{ n: string }>`
    select count(*) as n from credit_ledger where account_id = ${accountId} and kind = 'hold'`.execute(
    h.t.db,
  );
  return Number(row.rows[0]!.n);
}

test("50 valid submissions with 4 poisoned ones among them, all at once: the 50 are accepted, each poisoned one alone gets 400", async () => {
  const caller = await callerWith(1000);
  const admission = new JobAdmission(h.t.db);
  const jobs = Array.from({ length: 50 }, () => job(caller));
  const poisoned = new Set<string>();
  // Spread through the group: the first submission goes alone, the rest wait and go in together.
  for (const [i, poison] of POISONS.entries()) {
    const bad = job(caller, poison);
    poisoned.add(bad.id);
    jobs.splice(5 + i * 12, 0, bad);
  }
  const outcomes = await Promise.allSettled(jobs.map((j) => admission.admit(j)));
  for (const [i, outcome] of outcomes.entries()) {
    if (poisoned.has(jobs[i]!.id)) {
      expect(outcome.status).toBe("rejected");
      const error = (outcome as PromiseRejectedResult).reason as AppError;
      expect(error).toBeInstanceOf(AppError);
      expect(error.code).toBe("invalid_request");
    } else {
      expect(outcome).toMatchObject({ status: "fulfilled", value: { kind: "accepted" } });
    }
  }
  const written = await h.t.db
    .selectFrom("jobs")
    .select("id")
    .where("account_id", "=", caller.accountId)
    .execute();
  expect(written).toHaveLength(50);
  expect(written.some((r) => poisoned.has(r.id))).toBe(false);
  // The ledger adds up: the 50 holds and nothing for the refused.
  expect(await holds(caller.accountId)).toBe(50);
  expect(await ledgerSum(h.t.db, caller.accountId)).toEqual({ ledger: 1000 - 100, balance: 1000 - 100 });
});

test("after a refused group, the balance still goes to the submissions in arrival order", async () => {
  const caller = await callerWith(10);
  const admission = new JobAdmission(h.t.db);
  const jobs = [
    job(caller),
    job(caller),
    job(caller, POISONS[1]),
    ...Array.from({ length: 6 }, () => job(caller)),
  ];
  const outcomes = await Promise.allSettled(jobs.map((j) => admission.admit(j)));
  expect(
    outcomes.map((o) => (o.status === "fulfilled" ? o.value.kind : (o.reason as AppError).code)),
  ).toEqual([
    "accepted",
    "accepted",
    "invalid_request",
    "accepted",
    "accepted",
    "accepted",
    "insufficient_credits",
    "insufficient_credits",
    "insufficient_credits",
  ]);
  expect(await ledgerSum(h.t.db, caller.accountId)).toEqual({ ledger: 0, balance: 0 });
  expect(await holds(caller.accountId)).toBe(5);
});
