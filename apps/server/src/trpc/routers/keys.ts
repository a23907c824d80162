import {
  ApiKey,
  ApiKeyList,
  CreateApiKeyRequest,
  CreatedApiKey,
  RevokeApiKeyRequest,
} from "@mcpmediaengine/contract";
import { createKey, listKeys, revokeKey } from "@mcpmediaengine/engine";
import { z } from "zod";
import { authedProcedure, router } from "../init";

const tags = ["keys"];

/** Self-serve API keys, within the caller's account. */
export const keysRouter = router({
  list: authedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/keys",
        tags,
        protect: true,
        summary: "List API keys",
        description:
          "Your account's keys (never their secrets), working ones first, with when each was last used.",
      },
    })
    .input(z.object({}).optional())
    .output(ApiKeyList)
    .query(({ ctx }) => listKeys({ ctx: ctx.engine, caller: ctx.caller })),

  create: authedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/keys",
        tags,
        protect: true,
        summary: "Create an API key",
        description:
          "A new named key for your account. Its secret is in this answer only: store it now. At most 100 working keys.",
      },
    })
    .input(CreateApiKeyRequest)
    .output(CreatedApiKey)
    .mutation(({ ctx, input }) => createKey({ ctx: ctx.engine, caller: ctx.caller, input })),

  revoke: authedProcedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/keys/{keyId}",
        tags,
        protect: true,
        summary: "Revoke an API key",
        description:
          "The key answers 401 from its next request on, on every server, and browser sessions opened with it end. Revoking the key this request is made with is allowed: this answer is the last it gets. Another account's key is 404.",
      },
    })
    .input(RevokeApiKeyRequest)
    .output(ApiKey)
    .mutation(({ ctx, input }) => revokeKey({ ctx: ctx.engine, caller: ctx.caller, input })),
});
