import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const ENGINE = process.env.MME_API_URL ?? "http://127.0.0.1:8787";

// The engine serves dist/ at /. Built files go under /_app/ because /assets/ is the engine's signed downloads.
export default defineConfig({
  plugins: [react()],
  build: { assetsDir: "_app", target: "es2022", sourcemap: false },
  server: {
    // `pnpm dev` beside a running engine (pnpm start): the API calls go to it, as if from its own pages (the
    // engine refuses cookie-authenticated changes from any other origin).
    proxy: Object.fromEntries(
      ["/trpc", "/auth", "/v1", "/assets"].map((path) => [
        path,
        { target: ENGINE, changeOrigin: true, headers: { origin: new URL(ENGINE).origin } },
      ]),
    ),
  },
});
