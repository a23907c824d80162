import { ModelList } from "@mcpmediaengine/contract";
import { listModels } from "@mcpmediaengine/engine";
import { z } from "zod";
import { authedProcedure, router } from "../init";

export const modelsRouter = router({
  list: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/models",
        tags: ["models"],
        protect: true,
        summary: "List models",
        description: "Every model with its cost rule and whether this server can run it now.",
      },
    })
    .input(z.object({}).optional())
    .output(ModelList)
    .query(({ ctx }) => listModels({ ctx: ctx.engine })),
});
