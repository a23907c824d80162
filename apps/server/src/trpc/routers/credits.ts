import { LedgerList, ListLedgerRequest } from "@mcpmediaengine/contract";
import { listLedger } from "@mcpmediaengine/engine";
import { authedProcedure, router } from "../init";

export const creditsRouter = router({
  ledger: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/credits/ledger",
        tags: ["credits"],
        protect: true,
        summary: "The credit ledger",
        description:
          "Every grant, hold, capture, release and adjustment of your credits, newest first, with cursor paging. With `Accept: text/csv` the answer is every matching entry as CSV, for export.",
      },
    })
    .input(ListLedgerRequest)
    .output(LedgerList)
    .query(({ ctx, input }) => listLedger({ ctx: ctx.engine, caller: ctx.caller, input })),
});
