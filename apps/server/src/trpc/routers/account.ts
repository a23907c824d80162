import { Account } from "@mcpmediaengine/contract";
import { getAccount } from "@mcpmediaengine/engine";
import { z } from "zod";
import { authedProcedure, router } from "../init";

export const accountRouter = router({
  get: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/account",
        tags: ["account"],
        protect: true,
        summary: "Your account",
        description: "Plan, credit balance, credits held by running jobs, this month's use and your limits.",
      },
    })
    .input(z.object({}).optional())
    .output(Account)
    .query(({ ctx }) => getAccount({ ctx: ctx.engine, caller: ctx.caller })),
});
