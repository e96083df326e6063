import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/global-build.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: keep integration tests from starving each other.
    maxWorkers: 2,
    reporters: ["default"],
  },
});
