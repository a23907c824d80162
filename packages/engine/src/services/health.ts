import { pendingMigrations } from "@mcpmediaengine/db";
import { sql } from "kysely";
import type { EngineContext } from "../context";

export interface Readiness {
  /** The database answers. */
  database: boolean;
  /** The asset store can be reached. */
  storage: boolean;
  /** Every migration this build has is applied. */
  migrations: boolean;
}

/** Whether this process can serve: what `GET /readyz` reports to a load balancer. Each check runs at once. */
export async function checkReadiness(args: { ctx: EngineContext }): Promise<Readiness> {
  const { db, assets } = args.ctx;
  const [database, storage, migrations] = await Promise.all([
    sql`select 1`.execute(db).then(
      () => true,
      () => false,
    ),
    assets.reachable(),
    pendingMigrations(db).then(
      (pending) => pending.length === 0,
      () => false,
    ),
  ]);
  return { database, storage, migrations };
}
