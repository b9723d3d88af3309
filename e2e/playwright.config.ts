import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "@playwright/test";

/**
 * End-to-end tests against the real product: `npm start`'s launcher (embedded Postgres, web,
 * collab server, worker) on non-default ports with a fresh DATA_DIR, driven by Debian's Chromium
 * (no browser download). global-setup.ts creates an administrator with `npm run admin` and hands
 * the tests their invite codes.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

// The config is evaluated in the runner and in every worker: create the data dir once and pass it
// on through the environment, which the workers inherit.
process.env.E2E_DATA_DIR ??= mkdtempSync(path.join(os.tmpdir(), "reelhouse-e2e-"));
process.env.E2E_PORT ??= "3300";
const dataDir = process.env.E2E_DATA_DIR;
const port = Number(process.env.E2E_PORT);
export const e2eEnv = {
  DATA_DIR: dataDir,
  PORT: String(port),
  COLLAB_PORT: String(port + 1),
  PG_PORT: process.env.E2E_PG_PORT ?? "54400",
};

export default defineConfig({
  testDir: "./tests",
  globalSetup: "./global-setup.ts",
  globalTeardown: "./global-teardown.ts",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : "list",
  use: {
    baseURL: `http://localhost:${port}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
  },
  // The social spec counts the feed exactly (its first test publishes the feed's only posts), so it
  // runs before the specs that publish posts of their own (account, phone, review, cameo).
  projects: [
    { name: "social", testMatch: /social\.spec\.ts$/ },
    { name: "product", testIgnore: /social\.spec\.ts$/, dependencies: ["social"] },
  ],
  webServer: {
    command: "node --import tsx scripts/start.ts",
    cwd: repoRoot,
    url: `http://localhost:${port}/`,
    env: { ...e2eEnv, NODE_ENV: "production" },
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGINT", timeout: 30_000 },
  },
});
