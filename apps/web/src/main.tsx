import "./ui/styles.css";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app";

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Job changes arrive on the live stream; everything else is fresh for half a minute.
      staleTime: 30_000,
      retry: (count, error) => count < 2 && !(error as { data?: { httpStatus?: number } }).data?.httpStatus,
      refetchOnWindowFocus: false,
    },
  },
});

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
