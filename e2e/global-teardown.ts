import { rmSync } from "node:fs";
import { e2eEnv } from "./playwright.config.ts";

/** The launcher has stopped (webServer teardown runs first); remove the throwaway data dir. */
export default async function globalTeardown() {
  if (!process.env.E2E_KEEP_DATA) rmSync(e2eEnv.DATA_DIR, { recursive: true, force: true });
}
