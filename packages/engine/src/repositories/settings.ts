import type { Database } from "@mcpmediaengine/db";
import type { Kysely } from "kysely";

/**
 * A server-wide value created once and shared by every process on the database: the first writer wins and
 * every later reader sees its value.
 */
export async function getOrCreateSetting(
  db: Kysely<Database>,
  key: string,
  create: () => string,
): Promise<string> {
  await db
    .insertInto("server_settings")
    .values({ key, value: create() })
    .onConflict((oc) => oc.column("key").doNothing())
    .execute();
  const row = await db
    .selectFrom("server_settings")
    .select("value")
    .where("key", "=", key)
    .executeTakeFirstOrThrow();
  return row.value;
}
