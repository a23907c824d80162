import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["@mcpmediaengine/testing/global-setup"],
    testTimeout: 60_000,
    // Two files at a time even on two cores: most of these tests wait on Postgres, child processes and sockets,
    // not on the CPU, and one at a time made this package alone take seven minutes.
    maxWorkers: 2,
    hookTimeout: 60_000,
  },
});
