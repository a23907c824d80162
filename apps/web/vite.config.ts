import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The engine serves dist/ at /. Built files go under /_app/ because /assets/ is the engine's signed downloads.
export default defineConfig({
  plugins: [react()],
  build: { assetsDir: "_app", target: "es2022", sourcemap: false },
  server: {
    // `pnpm dev` beside a running engine (pnpm start): the API calls go to it.
    proxy: Object.fromEntries(
      ["/trpc", "/auth", "/v1", "/assets"].map((p) => [
        p,
        process.env.MME_API_URL ?? "http://127.0.0.1:8787",
      ]),
    ),
  },
});
