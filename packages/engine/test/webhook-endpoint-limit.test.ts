import { AppError } from "@mcpmediaengine/contract";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createEndpoint, listEndpoints } from "../src/services/webhooks/endpoints";
import { createHarness, type Harness } from "./harness";

// Issue 15: the 20-endpoint limit was a count then an insert, so concurrent creates all saw room.
let h: Harness;
beforeAll(async () => {
  h = await createHarness([]);
  h.ctx.webhooks.allowPrivate = true;
});
afterAll(() => h.close());

test("30 concurrent creates: exactly 20 endpoints exist, the other 10 are refused with 400 invalid_request", async () => {
  const caller = await h.newCaller();
  const outcomes = await Promise.allSettled(
    Array.from({ length: 30 }, (_, i) =>
      createEndpoint({ ctx: h.ctx, caller, input: { url: `http://127.0.0.1:9/hook/${i}` } }),
    ),
  );
  const refused = outcomes.filter((o) => o.status === "rejected").map((o) => o.reason as AppError);
  expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(20);
  expect(refused).toHaveLength(10);
  for (const error of refused) {
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe("invalid_request");
    expect(error.message).toMatch(/at most 20 webhook endpoints/);
  }
  expect((await listEndpoints({ ctx: h.ctx, caller })).data).toHaveLength(20);

  // Another account's limit is its own.
  const other = await h.newCaller();
  await expect(
    createEndpoint({ ctx: h.ctx, caller: other, input: { url: "http://127.0.0.1:9/other" } }),
  ).resolves.toMatchObject({ url: "http://127.0.0.1:9/other" });
});
