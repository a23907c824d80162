export { openEngine, type Role, type RunningEngine, startEngine } from "./boot/start";
export { Env, readEnv } from "./env";
export { createApp } from "./http/app";
export { buildOpenApiDocument } from "./http/openapi";
export { type AppRouter, appRouter } from "./trpc/router";
