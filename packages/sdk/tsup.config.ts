import { defineConfig } from "tsup";

// ESM and CJS with declarations. The contract is bundled in (it is not published); zod stays a dependency.
export default defineConfig({
  entry: { index: "src/index.ts", webhooks: "src/webhooks.ts" },
  format: ["esm", "cjs"],
  // The declarations inline the contract's types too: mapped to its source, it is ours to bundle, not a package.
  dts: {
    resolve: true,
    compilerOptions: { baseUrl: ".", paths: { "@mcpmediaengine/contract": ["../contract/src/index.ts"] } },
  },
  noExternal: [/^@mcpmediaengine\//],
  platform: "neutral",
  target: "es2022",
  clean: true,
  treeshake: true,
});
