import { createHash, timingSafeEqual } from "node:crypto";
import { AppError } from "@mcpmediaengine/contract";
import { authenticate, isConnectionError } from "@mcpmediaengine/engine";
import { initTRPC } from "@trpc/server";
import type { OpenApiMeta } from "trpc-to-openapi";
import type { TrpcContext } from "./context";
import { databaseUnavailable, sessionEnded, toAppError, toTRPCError } from "./errors";

const t = initTRPC
  .context<TrpcContext>()
  .meta<OpenApiMeta>()
  .create({
    // Never send stack traces, whatever NODE_ENV says.
    isDev: false,
    // Live streams (subscriptions over SSE) ping, so proxies keep them open and clients notice a dead one.
    sse: { ping: { enabled: true, intervalMs: 15_000 }, client: { reconnectAfterInactivityMs: 40_000 } },
    errorFormatter({ shape, error, ctx }) {
      const { appError, unexpected } = toAppError(error);
      if (unexpected)
        ctx?.log.error("unexpected error", { requestId: ctx.requestId, error: String(error.cause ?? error) });
      return {
        ...shape,
        message: appError.message,
        data: {
          code: shape.data.code,
          httpStatus: appError.status,
          error: {
            code: appError.code,
            message: appError.message,
            details: appError.details,
            requestId: ctx?.requestId,
          },
        },
      };
    },
  });

/**
 * Services throw AppErrors; this turns them into TRPCErrors with the right status for the tRPC transport. A lost
 * database (a connection error from anywhere below) becomes 503 the same way.
 */
const mapAppErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && (result.error.cause instanceof AppError || isConnectionError(result.error.cause)))
    throw toTRPCError(toAppError(result.error).appError);
  return result;
});

export const router = t.router;
export const publicProcedure = t.procedure.use(mapAppErrors);

/**
 * Resolves the API key (or takes the session's caller) before the input is even parsed: a caller without a key
 * learns nothing else.
 */
export const authedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  try {
    if (!ctx.caller && ctx.authorization === null) {
      if (ctx.databaseDown) throw databaseUnavailable();
      if (ctx.sessionEnded) throw sessionEnded();
    }
    const caller = ctx.caller ?? (await authenticate({ ctx: ctx.engine, authorization: ctx.authorization }));
    return next({ ctx: { ...ctx, caller } });
  } catch (error) {
    if (error instanceof AppError) throw toTRPCError(error);
    throw error;
  }
});

/**
 * The operator's procedures: `Authorization: Bearer <MME_ADMIN_TOKEN>`, compared in constant time, or a browser
 * session of the operator's account (whose state-changing requests passed the origin check). An API key is never
 * enough, not even the operator's.
 */
export const adminProcedure = publicProcedure.use(async ({ ctx, next }) => {
  if (ctx.session?.operator) return next();
  if (ctx.session) {
    throw toTRPCError(new AppError("forbidden", "Only the operator's account may use the admin API."));
  }
  if (ctx.authorization === null) {
    if (ctx.databaseDown) throw toTRPCError(databaseUnavailable());
    if (ctx.sessionEnded) throw toTRPCError(sessionEnded());
  }
  if (!ctx.adminToken) {
    throw toTRPCError(new AppError("forbidden", "The admin API is off: set MME_ADMIN_TOKEN to use it."));
  }
  const sent = /^Bearer\s+(\S+)\s*$/i.exec(ctx.authorization ?? "")?.[1] ?? "";
  const digest = (s: string) => createHash("sha256").update(s).digest();
  if (!timingSafeEqual(digest(sent), digest(ctx.adminToken))) {
    throw toTRPCError(
      new AppError("unauthorized", "Send the admin token as 'Authorization: Bearer <token>'."),
    );
  }
  return next();
});
