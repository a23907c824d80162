import { existsSync } from "node:fs";
import { cp } from "node:fs/promises";
import { defineConfig } from "tsup";

// The CLI as one file for the npm package (`npx mcp-media-engine`): our workspace packages bundled in, every
// third-party package left to npm (native ones among them), the SQL migrations and eSpeak's worker-thread entry
// copied beside it (the media package finds the worker at `./espeak-worker.mjs` from its own module, which in
// the bundle is dist/cli.js).
export default defineConfig({
  entry: { cli: "src/cli.ts" },
  outDir: "dist",
  format: ["esm"],
  platform: "node",
  target: "node20",
  clean: true,
  noExternal: [/^@mcpmediaengine\//],
  external: [/^(?!@mcpmediaengine\/)[^./]/],
  banner: { js: "#!/usr/bin/env node" },
  async onSuccess() {
    await cp("../../packages/db/src/migrations", "dist/migrations", { recursive: true });
    await cp("../../packages/media/src/audio/espeak-worker.mjs", "dist/espeak-worker.mjs");
    // The in-chat gallery (MCP Apps), read by packages/mcp-app from beside the bundle.
    await cp("../../packages/mcp-app/dist/index.html", "dist/mcp-app.html");
    // The web console, served at / (http/console.ts looks for it beside the bundle, in dist/web).
    if (existsSync("../web/dist/index.html")) await cp("../web/dist", "dist/web", { recursive: true });
  },
});
