import { AssetList, ListAssetsRequest } from "@mcpmediaengine/contract";
import { listAssets } from "@mcpmediaengine/engine";
import { authedProcedure, router } from "../init";

export const assetsRouter = router({
  list: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/assets",
        tags: ["assets"],
        protect: true,
        summary: "List files",
        description:
          "The account's files (images, clips, posters, speech, captions), newest first, each with the job that made it; filter by the job's type or model and by role. Files past the retention period are left out.",
      },
    })
    .input(ListAssetsRequest)
    .output(AssetList)
    .query(({ ctx, input }) => listAssets({ ctx: ctx.engine, caller: ctx.caller, scope: ctx.scope, input })),
});
