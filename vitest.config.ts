import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["**/node_modules/**", "e2e/**", "**/build/**", ".data/**"],
    globalSetup: ["shared/src/testing/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // On CI only, a failed test gets one more try (the machine is shared and timing-heavy tests
    // such as kill -9 recovery can be starved); a retried pass is still reported by the runner.
    retry: process.env.CI ? 1 : 0,
  },
});
