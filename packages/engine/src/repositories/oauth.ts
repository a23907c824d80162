import type { Database } from "@mcpmediaengine/db";
import { type Kysely, sql } from "kysely";

// A transaction is a Kysely too, so every function here runs inside one or alone.
type Db = Kysely<Database>;

export async function insertOAuthClient(
  db: Db,
  row: { id: string; clientName: string; redirectUris: string[]; metadata: Record<string, unknown> },
): Promise<Date> {
  const inserted = await db
    .insertInto("oauth_clients")
    .values({
      id: row.id,
      client_name: row.clientName,
      redirect_uris: JSON.stringify(row.redirectUris),
      metadata: JSON.stringify(row.metadata),
    })
    .returning("created_at")
    .executeTakeFirstOrThrow();
  return inserted.created_at;
}

export function findOAuthClient(db: Db, id: string) {
  return db.selectFrom("oauth_clients").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function insertGrant(
  db: Db,
  row: {
    id: string;
    accountId: string;
    userId: string | null;
    clientId: string;
    clientName: string;
    resource: string;
    scope: string;
  },
): Promise<void> {
  await db
    .insertInto("oauth_grants")
    .values({
      id: row.id,
      account_id: row.accountId,
      user_id: row.userId,
      client_id: row.clientId,
      client_name: row.clientName,
      resource: row.resource,
      scope: row.scope,
    })
    .execute();
}

/** Ends a grant: every code and token issued under it opens nothing from now on. */
export async function revokeGrant(db: Db, grantId: string): Promise<void> {
  await db
    .updateTable("oauth_grants")
    .set({ revoked_at: sql`now()` })
    .where("id", "=", grantId)
    .where("revoked_at", "is", null)
    .execute();
}

export async function insertCode(
  db: Db,
  row: { codeHash: string; grantId: string; redirectUri: string; codeChallenge: string; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto("oauth_codes")
    .values({
      code_hash: row.codeHash,
      grant_id: row.grantId,
      redirect_uri: row.redirectUri,
      code_challenge: row.codeChallenge,
      expires_at: row.expiresAt,
    })
    .execute();
}

/** A code with its grant, locked: two redemptions of one code take turns, and the second sees it used. */
export function lockCode(db: Db, codeHash: string) {
  return db
    .selectFrom("oauth_codes as c")
    .innerJoin("oauth_grants as g", "g.id", "c.grant_id")
    .select([
      "c.code_hash",
      "c.grant_id",
      "c.redirect_uri",
      "c.code_challenge",
      "c.used_at",
      "g.client_id",
      "g.resource",
      "g.scope",
      "g.revoked_at",
      sql<boolean>`c.expires_at <= now()`.as("expired"),
    ])
    .where("c.code_hash", "=", codeHash)
    .forUpdate("c")
    .executeTakeFirst();
}

export async function markCodeUsed(db: Db, codeHash: string): Promise<void> {
  await db
    .updateTable("oauth_codes")
    .set({ used_at: sql`now()` })
    .where("code_hash", "=", codeHash)
    .execute();
}

export async function insertTokens(
  db: Db,
  rows: { tokenHash: string; kind: "access" | "refresh"; grantId: string; expiresAt: Date }[],
): Promise<void> {
  await db
    .insertInto("oauth_tokens")
    .values(
      rows.map((r) => ({
        token_hash: r.tokenHash,
        kind: r.kind,
        grant_id: r.grantId,
        expires_at: r.expiresAt,
      })),
    )
    .execute();
}

/** A token with its grant, locked (a refresh token is used once: two uses at the same time take turns). */
export function lockToken(db: Db, tokenHash: string) {
  return db
    .selectFrom("oauth_tokens as t")
    .innerJoin("oauth_grants as g", "g.id", "t.grant_id")
    .select([
      "t.token_hash",
      "t.kind",
      "t.grant_id",
      "t.used_at",
      "t.revoked_at",
      "g.client_id",
      "g.resource",
      "g.scope",
      sql<boolean>`g.revoked_at is not null`.as("grant_revoked"),
      sql<boolean>`t.expires_at <= now()`.as("expired"),
    ])
    .where("t.token_hash", "=", tokenHash)
    .forUpdate("t")
    .executeTakeFirst();
}

export async function markTokenUsed(db: Db, tokenHash: string): Promise<void> {
  await db
    .updateTable("oauth_tokens")
    .set({ used_at: sql`now()` })
    .where("token_hash", "=", tokenHash)
    .execute();
}

export async function revokeToken(db: Db, tokenHash: string): Promise<void> {
  await db
    .updateTable("oauth_tokens")
    .set({ revoked_at: sql`now()` })
    .where("token_hash", "=", tokenHash)
    .where("revoked_at", "is", null)
    .execute();
}

/** A live access token (not revoked, not expired, its grant live) with its grant and the account's terms. */
export function findLiveAccessToken(db: Db, tokenHash: string) {
  return db
    .selectFrom("oauth_tokens as t")
    .innerJoin("oauth_grants as g", "g.id", "t.grant_id")
    .innerJoin("accounts as a", "a.id", "g.account_id")
    .select(["g.id as grant_id", "g.account_id", "g.resource", "g.scope", "a.plan", "a.limits"])
    .where("t.token_hash", "=", tokenHash)
    .where("t.kind", "=", "access")
    .where("t.revoked_at", "is", null)
    .where("t.expires_at", ">", sql<Date>`now()`)
    .where("g.revoked_at", "is", null)
    .executeTakeFirst();
}

/** Forgets codes and tokens that ended more than a day ago; run when a grant is made, so rows never pile up. */
export async function deleteEndedOAuthRows(db: Db): Promise<void> {
  await db.deleteFrom("oauth_codes").where("expires_at", "<", sql<Date>`now() - interval '1 day'`).execute();
  await db.deleteFrom("oauth_tokens").where("expires_at", "<", sql<Date>`now() - interval '1 day'`).execute();
}
