#!/usr/bin/env node
// Runs the TypeScript sources through tsx, so the CLI works straight from the repository after `pnpm install`.
import { register } from "tsx/esm/api";

register();
await import("../src/cli.ts");
