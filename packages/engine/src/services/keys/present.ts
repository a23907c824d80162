import type { ApiKey } from "@mcpmediaengine/contract";

export interface KeyRow {
  id: string;
  name: string;
  key_hint: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

/** A key as its account sees it; `currentKeyId` is the key the request was made with, if any. */
export function presentKey(row: KeyRow, currentKeyId?: string): ApiKey {
  return {
    keyId: row.id,
    name: row.name,
    hint: `mme_sk_…${row.key_hint}`,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    current: row.id === currentKeyId,
  };
}
