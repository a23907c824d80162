import { AppError } from "@mcpmediaengine/contract";
import { verifyDecoy, verifyPassword } from "../../auth/password";
import type { EngineContext } from "../../context";
import { findUserByEmail } from "../../repositories/users";
import { authenticate } from "./authenticate";
import { type OpenedSession, openSession } from "./sessions";

/** Opens a session for an email and password; a wrong email or password is one and the same 401. */
export async function signInWithPassword(args: {
  ctx: EngineContext;
  input: { email: string; password: string };
  sessionTtlMs: number;
}): Promise<OpenedSession> {
  const { ctx, input } = args;
  const user = await findUserByEmail(ctx.db, input.email);
  if (!user) {
    await verifyDecoy(input.password);
    throw wrongCredentials();
  }
  if (!(await verifyPassword(user.password_hash, input.password))) throw wrongCredentials();
  return openSession(
    ctx.db,
    { accountId: user.account_id, userId: user.id, email: user.email },
    args.sessionTtlMs,
  );
}

/** Opens a session with an API key (operators, and anyone who holds a key); it ends when the key is revoked. */
export async function signInWithKey(args: {
  ctx: EngineContext;
  apiKey: string;
  sessionTtlMs: number;
}): Promise<OpenedSession> {
  if (!/^\S+$/.test(args.apiKey))
    throw new AppError("unauthorized", "The API key is not valid or has been revoked.");
  const caller = await authenticate({ ctx: args.ctx, authorization: `Bearer ${args.apiKey}` });
  return openSession(args.ctx.db, { accountId: caller.accountId, keyId: caller.keyId }, args.sessionTtlMs);
}

function wrongCredentials(): AppError {
  return new AppError("unauthorized", "The email or the password is not right.");
}
