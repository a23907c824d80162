import {
  Account,
  AdminAccountList,
  AdminAccountRequest,
  AdminChangePlanRequest,
  AdminCreateAccountRequest,
  AdminCreatedAccount,
  AdminCreatedKey,
  AdminCreateKeyRequest,
  AdminCreditsRequest,
  AdminCreditsResult,
  AdminListAccountsRequest,
  AdminRevokedKey,
  AdminRevokeKeyRequest,
  ApiKeyList,
} from "@mcpmediaengine/contract";
import {
  adminChangePlan,
  adminCreateAccount,
  adminCreateKey,
  adminGetAccount,
  adminListAccounts,
  adminListKeys,
  adminPostCredits,
  adminRevokeKey,
} from "@mcpmediaengine/engine";
import type { OpenApiMeta } from "trpc-to-openapi";
import { adminProcedure, router } from "../init";

const tags = ["admin"];
const meta = (
  method: "GET" | "POST" | "DELETE",
  path: `/${string}`,
  summary: string,
  description: string,
): OpenApiMeta => ({
  openapi: { method, path: `/admin${path}`, tags, protect: true, summary, description },
});

/** The operator's API, behind MME_ADMIN_TOKEN or a browser session of the operator's account. */
export const adminRouter = router({
  listAccounts: adminProcedure
    .meta(
      meta(
        "GET",
        "/accounts",
        "List accounts",
        "Every account, newest first, with cursor paging; `search` finds an id, or a name or email containing it.",
      ),
    )
    .input(AdminListAccountsRequest)
    .output(AdminAccountList)
    .query(({ ctx, input }) => adminListAccounts({ ctx: ctx.engine, input })),

  createAccount: adminProcedure
    .meta(
      meta(
        "POST",
        "/accounts",
        "Open an account",
        "A new account on a plan, with its first API key and opening grant.",
      ),
    )
    .input(AdminCreateAccountRequest)
    .output(AdminCreatedAccount)
    .mutation(({ ctx, input }) => adminCreateAccount({ ctx: ctx.engine, input })),

  getAccount: adminProcedure
    .meta(
      meta(
        "GET",
        "/accounts/{accountId}",
        "Read an account",
        "Plan, balance, held credits, this month's use and limits.",
      ),
    )
    .input(AdminAccountRequest)
    .output(Account)
    .query(({ ctx, input }) => adminGetAccount({ ctx: ctx.engine, input })),

  changePlan: adminProcedure
    .meta(
      meta(
        "POST",
        "/accounts/{accountId}/plan",
        "Change an account's plan",
        "Moves the account to a plan (and, for enterprise, its own monthly grant and limits).",
      ),
    )
    .input(AdminChangePlanRequest)
    .output(Account)
    .mutation(({ ctx, input }) => adminChangePlan({ ctx: ctx.engine, input })),

  postCredits: adminProcedure
    .meta(
      meta(
        "POST",
        "/accounts/{accountId}/credits",
        "Grant or adjust credits",
        "Adds credits, or takes them away when negative, with a reason for the ledger. Never below zero.",
      ),
    )
    .input(AdminCreditsRequest)
    .output(AdminCreditsResult)
    .mutation(({ ctx, input }) => adminPostCredits({ ctx: ctx.engine, input })),

  createKey: adminProcedure
    .meta(
      meta(
        "POST",
        "/accounts/{accountId}/keys",
        "Create an API key",
        "A new key for the account, shown once.",
      ),
    )
    .input(AdminCreateKeyRequest)
    .output(AdminCreatedKey)
    .mutation(({ ctx, input }) => adminCreateKey({ ctx: ctx.engine, input })),

  listKeys: adminProcedure
    .meta(
      meta(
        "GET",
        "/accounts/{accountId}/keys",
        "List an account's API keys",
        "The account's keys (never their secrets), working ones first, with when each was last used.",
      ),
    )
    .input(AdminAccountRequest)
    .output(ApiKeyList)
    .query(({ ctx, input }) => adminListKeys({ ctx: ctx.engine, input })),

  revokeKey: adminProcedure
    .meta(
      meta(
        "DELETE",
        "/keys/{keyId}",
        "Revoke an API key",
        "The key answers 401 from now on, on every server.",
      ),
    )
    .input(AdminRevokeKeyRequest)
    .output(AdminRevokedKey)
    .mutation(({ ctx, input }) => adminRevokeKey({ ctx: ctx.engine, input })),
});
