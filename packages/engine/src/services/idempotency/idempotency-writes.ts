import type { Database } from "@mcpmediaengine/db";
import type { Kysely } from "kysely";
import {
  claimKeys,
  type KeyClaim,
  type KeyResponse,
  saveResponses,
} from "../../repositories/idempotency-keys";
import { GroupCommit } from "../../util/group-commit";

/**
 * The two writes every request with an Idempotency-Key makes (claiming the key, keeping the response), each
 * group-committed across all concurrent requests of the process, so idempotency costs two commits per group
 * rather than two per request.
 */
export class IdempotencyWrites {
  private readonly claims: GroupCommit<KeyClaim, boolean>;
  private readonly responses: GroupCommit<KeyResponse, undefined>;

  constructor(db: Kysely<Database>) {
    this.claims = new GroupCommit((_, items) => claimKeys(db, items));
    this.responses = new GroupCommit(async (_, items) => {
      await saveResponses(db, items);
      return items.map(() => undefined);
    });
  }

  /** True if this request now owns the key. */
  claim(claim: KeyClaim): Promise<boolean> {
    return this.claims.submit("", claim);
  }

  save(response: KeyResponse): Promise<undefined> {
    return this.responses.submit("", response);
  }
}
