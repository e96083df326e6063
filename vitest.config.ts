import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/global-build.ts"],
    // Safety nets, not assertions: every wait inside a test has its own condition. Tests that
    // spawn the CLI several times need this much on a loaded two-core machine (a node start
    // took several seconds there at a load of 15).
    testTimeout: 90_000,
    hookTimeout: 90_000,
    // Two cores: keep integration tests from starving each other.
    maxWorkers: 2,
    reporters: ["default"],
  },
});
