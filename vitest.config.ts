import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    // Test files run in parallel, each on its own SQLite copy; 2 cores on CI machines.
    pool: "forks",
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
