#!/usr/bin/env node
// Runs the TypeScript sources through tsx, so the CLI works straight from the repository after `pnpm install`.
// MCP on stdio (no command, or `mcp`) first starts the front, plain JavaScript that answers the host's
// `initialize` at once, before tsx and the engine load (seconds on a busy machine).
await import("../src/stdio/autostart.mjs");
const { register } = await import("tsx/esm/api");
register();
await import("../src/cli.ts");
