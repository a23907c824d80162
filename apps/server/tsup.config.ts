import { cp } from "node:fs/promises";
import { defineConfig } from "tsup";

// The CLI as one file for the npm package (`npx mcp-media-engine`): our workspace packages bundled in, every
// third-party package left to npm (native ones among them), the SQL migrations copied beside it.
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
  },
});
