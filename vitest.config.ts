import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    // Test files run in parallel, each on its own SQLite copy; 2 cores on CI machines.
    pool: "forks",
    // CI machines have 2 cores and other work beside the suite: the limits leave room for a test
    // running four times slower than on an idle machine. Tests that start a process set their own
    // (PROCESS_TEST_TIMEOUT in test/helpers/processes.ts).
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
