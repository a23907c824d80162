import type { AppRouter } from "@mcpmediaengine/server/router";
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from "@trpc/client";

/**
 * The engine's own tRPC API, typed by the server's router (a type-only import: no server code reaches the
 * bundle). The browser is signed in by its httpOnly session cookie, sent with every same-origin call; the
 * console never holds an API key.
 */
export const trpc = createTRPCClient<AppRouter>({
  links: [
    splitLink({
      condition: (op) => op.type === "subscription",
      true: httpSubscriptionLink({ url: "/trpc" }),
      false: httpBatchLink({ url: "/trpc", maxURLLength: 4000 }),
    }),
  ],
});
