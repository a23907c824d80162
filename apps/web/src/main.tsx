import "./ui/styles.css";
import { QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { retryAfterMs, toShownError } from "./api/errors";
import { App } from "./app";
import { preloadPage } from "./routes";
import { forgetAccount } from "./session/session";

/** Errors worth asking again for: the engine said when (rate limited, starting), or it did not answer. */
const RETRIED = new Set(["rate_limited", "service_unavailable", "connection_error"]);

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({
    // A session that ended (signed out elsewhere, its key revoked, expired) sends the page back to sign-in.
    onError: (error) => {
      if (toShownError(error).code === "unauthorized") forgetAccount(queryClient);
    },
  }),
  defaultOptions: {
    queries: {
      // Job changes arrive on the live stream; everything else is fresh for half a minute.
      staleTime: 30_000,
      retry: (count, error) => count < 3 && RETRIED.has(toShownError(error).code),
      retryDelay: (count, error) => retryAfterMs(toShownError(error)) ?? Math.min(1000 * 2 ** count, 8000),
      refetchOnWindowFocus: false,
    },
  },
});

preloadPage(location.pathname);
createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
