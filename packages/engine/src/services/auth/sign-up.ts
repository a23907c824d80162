import { AppError, newId, type SignupRequest, type SignupResult } from "@mcpmediaengine/contract";
import { hashPassword, passwordWeakness } from "../../auth/password";
import type { EngineContext } from "../../context";
import { findAccountKey } from "../../repositories/api-keys";
import { findUserByEmail, insertUser } from "../../repositories/users";
import { insertAccountWithKey } from "../keys/create-key";
import { presentKey } from "../keys/present";
import { type OpenedSession, openSession } from "./sessions";

const UNIQUE_VIOLATION = "23505";

/**
 * Self-serve sign-up (MME_SIGNUP=open): a Free account, opened as every account is (the same opening grant of 25
 * credits), its first API key, the user who signs in to it, and a session, all in one transaction.
 */
export async function signUp(args: {
  ctx: EngineContext;
  input: SignupRequest;
  open: boolean;
  sessionTtlMs: number;
}): Promise<{ result: SignupResult; opened: OpenedSession }> {
  const { ctx, input } = args;
  if (!args.open) {
    throw new AppError("signup_closed", "Sign-up is closed on this server: ask its operator for an account.");
  }
  const weakness = passwordWeakness(input.password, input.email);
  if (weakness) throw new AppError("weak_password", weakness);
  // Sign-up tells whether an email is taken in any case; asking first spares the hash.
  if (await findUserByEmail(ctx.db, input.email)) throw emailTaken();
  const passwordHash = await hashPassword(input.password);
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const created = await insertAccountWithKey(trx, {
        name: input.name ?? input.email,
        plan: "free",
        keyName: "first key",
      });
      const userId = newId("user");
      await insertUser(trx, { id: userId, accountId: created.accountId, email: input.email, passwordHash });
      const opened = await openSession(
        trx,
        { accountId: created.accountId, userId, email: input.email },
        args.sessionTtlMs,
      );
      const key = await findAccountKey(trx, created.accountId, created.keyId);
      return {
        result: { session: opened.session, apiKey: { ...presentKey(key!), apiKey: created.apiKey } },
        opened,
      };
    });
  } catch (error) {
    if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw emailTaken();
    throw error;
  }
}

function emailTaken(): AppError {
  return new AppError("email_taken", "An account with this email exists already: sign in instead.");
}
