import { Usage, UsageRequest } from "@mcpmediaengine/contract";
import { getUsage } from "@mcpmediaengine/engine";
import { authedProcedure, router } from "../init";

export const usageRouter = router({
  get: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/usage",
        tags: ["usage"],
        protect: true,
        summary: "Usage by day, model or type",
        description:
          "Credits spent and jobs ended in a span of UTC days (30 up to today by default), grouped by day, model or media type.",
      },
    })
    .input(UsageRequest)
    .output(Usage)
    .query(({ ctx, input }) => getUsage({ ctx: ctx.engine, caller: ctx.caller, input })),
});
