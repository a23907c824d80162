import { sql } from "kysely";
import type { EngineContext } from "../context";

/** Whether the database answers; the HTTP health check reports it. */
export async function checkHealth(args: { ctx: EngineContext }): Promise<{ database: boolean }> {
  try {
    await sql`select 1`.execute(args.ctx.db);
    return { database: true };
  } catch {
    return { database: false };
  }
}
