import {
  LEDGER_CSV_COLUMNS,
  type LedgerEntry,
  ListLedgerRequest,
  parseRequest,
} from "@mcpmediaengine/contract";
import { authenticate, type EngineContext, ledgerEntries } from "@mcpmediaengine/engine";
import type { MiddlewareHandler } from "hono";
import { databaseUnavailable, sessionEnded } from "../trpc/errors";
import type { AppEnv } from "./rate-limit";

/**
 * GET /v1/credits/ledger with `Accept: text/csv`: every entry that matches the filters, newest first, as CSV (one
 * header line, the columns of LEDGER_CSV_COLUMNS), streamed a thousand rows at a time. Any other Accept goes on to
 * the JSON procedure. Runs after the rate limiter, which resolved the caller.
 */
export function ledgerCsv(engine: EngineContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!/\btext\/csv\b/i.test(c.req.header("accept") ?? "")) return next();
    if (c.get("databaseDown")) throw databaseUnavailable();
    if (!c.get("caller") && c.get("sessionEnded")) throw sessionEnded();
    // Without a caller the key was refused: authenticating again throws why.
    const caller =
      c.get("caller") ?? (await authenticate({ ctx: engine, authorization: c.req.header("authorization") }));
    const input = parseRequest(ListLedgerRequest, c.req.query());
    const entries = ledgerEntries({ ctx: engine, caller, input });
    // The first page is read before answering, so a failure is still an error response, not a cut-off file.
    const first = await entries.next();
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(`${LEDGER_CSV_COLUMNS.join(",")}\r\n`));
        if (!first.done) controller.enqueue(encoder.encode(csvLine(first.value)));
      },
      async pull(controller) {
        if (first.done) return controller.close();
        const next = await entries.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(csvLine(next.value)));
      },
      async cancel() {
        await entries.return(undefined);
      },
    });
    return new Response(body, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": 'attachment; filename="credit-ledger.csv"',
        "x-request-id": c.get("requestId"),
      },
    });
  };
}

/** One entry as a CSV line (RFC 4180: fields with a comma, quote or line break are quoted). */
export function csvLine(entry: LedgerEntry): string {
  return `${LEDGER_CSV_COLUMNS.map((column) => csvField(column, entry[column])).join(",")}\r\n`;
}

function csvField(column: string, value: string | number | null): string {
  if (value === null) return "";
  let text = String(value);
  // A reason is free text an operator wrote; one that starts like a formula would run in a spreadsheet.
  if (column === "reason" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
