import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { e2eEnv } from "./playwright.config.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const ADMIN = {
  email: "admin@reelhouse.test",
  username: "admin",
  password: "e2e-velvet-harbor-lantern",
  birthdate: "1985-05-05",
};

/** Path of the file where the admin's invite codes are kept for the tests. */
export function invitesFile(): string {
  return path.join(e2eEnv.DATA_DIR, "e2e-invites.json");
}

/**
 * Creates the first administrator exactly as the README says (`npm run admin -- create`), against
 * the launcher that webServer started (same DATA_DIR), and saves the printed invite codes.
 */
export default async function globalSetup() {
  const out = execFileSync(
    "npm",
    [
      "run",
      "--silent",
      "admin",
      "--",
      "create",
      "--email",
      ADMIN.email,
      "--username",
      ADMIN.username,
      "--password",
      ADMIN.password,
      "--birthdate",
      ADMIN.birthdate,
    ],
    { cwd: repoRoot, env: { ...process.env, ...e2eEnv }, encoding: "utf8" },
  );
  const codes = [...out.matchAll(/^\s+([A-Z0-9]{5}-[A-Z0-9]{5})\s*$/gm)].map((m) => m[1]!);
  if (codes.length !== 4)
    throw new Error(`npm run admin -- create printed no invite codes:\n${out}`);
  writeFileSync(invitesFile(), JSON.stringify({ codes, next: 0 }));
}
